package hudson.security;

import org.springframework.security.core.Authentication;

/** Compile-only stub of hudson.security.ACL from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class ACL {
    public static final Authentication SYSTEM2 = null;

    public static ACLContext as2(Authentication auth) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
