package hudson;

import java.io.Serializable;

import hudson.util.Secret;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * Compile-only stub of hudson.ProxyConfiguration from org.jenkins-ci.main:jenkins-core 2.541.3: the signatures the
 * plugin calls, and the restricted or deprecated members beside them that it must not call (kept, with their real
 * annotations, so the restricted-use scan has them to catch).
 */
public final class ProxyConfiguration implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String name = null;
    public final int port = 0;

    /** Public for compatibility only: {@link #getNoProxyHost()}. */
    @Restricted(NoExternalUse.class)
    public String noProxyHost;

    public String getUserName() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public Secret getSecretPassword() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    /** @deprecated Use {@link #getSecretPassword()} */
    @Deprecated
    public String getPassword() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getNoProxyHost() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
