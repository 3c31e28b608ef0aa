package org.kohsuke.stapler;

/** Compile-only stub of org.kohsuke.stapler.HttpResponses from org.kohsuke.stapler:stapler 2050.v425108fd5089 (as used by jenkins-core 2.541.3): only the signatures the plugin calls. */
public class HttpResponses {
    public static HttpResponse redirectToDot() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
