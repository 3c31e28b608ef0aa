package hudson;

import java.io.IOException;

/** Compile-only stub of hudson.AbortException from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public class AbortException extends IOException {
    private static final long serialVersionUID = 1L;

    public AbortException() {
    }

    public AbortException(String message) {
        super(message);
    }
}
