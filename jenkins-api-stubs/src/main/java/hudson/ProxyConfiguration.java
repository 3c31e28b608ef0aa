package hudson;

/** Compile-only stub of hudson.ProxyConfiguration from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public final class ProxyConfiguration {
    public final String name = null;
    public final int port = 0;
    public final String noProxyHost = null;

    public String getUserName() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getPassword() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
