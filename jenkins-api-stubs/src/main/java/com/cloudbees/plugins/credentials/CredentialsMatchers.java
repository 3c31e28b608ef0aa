package com.cloudbees.plugins.credentials;

/** Compile-only stub of com.cloudbees.plugins.credentials.CredentialsMatchers from org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0: only the signatures the plugin calls. */
public class CredentialsMatchers {
    @SuppressWarnings("rawtypes") // as the real signature
    public static CredentialsMatcher instanceOf(Class clazz) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static CredentialsMatcher anyOf(CredentialsMatcher... matchers) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static CredentialsMatcher withId(String id) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static <C extends Credentials> C firstOrNull(Iterable<C> credentials, CredentialsMatcher matcher) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
