package hudson;

import java.util.TreeMap;

/** Compile-only stub of hudson.EnvVars from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public class EnvVars extends TreeMap<String, String> {
    private static final long serialVersionUID = 1L;

    public EnvVars() {
    }

    public void override(String key, String value) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
