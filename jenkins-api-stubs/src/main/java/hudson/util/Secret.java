package hudson.util;

import java.io.Serializable;

/** Compile-only stub of hudson.util.Secret from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public final class Secret implements Serializable {
    private static final long serialVersionUID = 1L;

    private Secret() {
    }

    public String getPlainText() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static Secret fromString(String data) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
