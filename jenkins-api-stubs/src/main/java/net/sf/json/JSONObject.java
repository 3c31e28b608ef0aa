package net.sf.json;

/** Compile-only stub of net.sf.json.JSONObject from org.kohsuke.stapler:json-lib 2.4-jenkins-15 (as used by jenkins-core 2.541.3): only the signatures the plugin calls. */
public final class JSONObject {
    public String optString(String key, String defaultValue) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
