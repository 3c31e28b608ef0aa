package hudson.security;

/** Compile-only stub of hudson.security.ACLContext from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public class ACLContext implements AutoCloseable {
    private ACLContext() {
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
