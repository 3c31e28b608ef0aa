package hudson.security;

/** Compile-only stub of hudson.security.Permission from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public final class Permission {
    private Permission() {
    }
}
