package hudson;

/** Compile-only stub of hudson.Util from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public class Util {
    public static String fixNull(String s) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static String fixEmptyAndTrim(String s) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
