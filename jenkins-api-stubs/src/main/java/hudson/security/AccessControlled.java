package hudson.security;

/** Compile-only stub of hudson.security.AccessControlled from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public interface AccessControlled {
    default void checkPermission(Permission permission) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    default boolean hasPermission(Permission permission) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
