package hudson;

/** Compile-only stub of hudson.ExtensionPoint from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public interface ExtensionPoint {
}
