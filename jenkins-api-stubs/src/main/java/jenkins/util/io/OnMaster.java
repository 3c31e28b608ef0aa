package jenkins.util.io;

/**
 * Compile-only stub of jenkins.util.io.OnMaster from org.jenkins-ci.main:jenkins-core 2.541.3: marks objects that exist
 * on the controller only, so that what travels to agents (a {@code TaskListenerDecorator}, say) can be seen not to
 * hold one.
 */
public interface OnMaster {
}
