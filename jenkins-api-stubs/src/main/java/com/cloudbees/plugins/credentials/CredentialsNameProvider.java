package com.cloudbees.plugins.credentials;

/** Compile-only stub of com.cloudbees.plugins.credentials.CredentialsNameProvider from org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0: only the signatures the plugin calls. */
public abstract class CredentialsNameProvider<C extends Credentials> {
    public static String name(Credentials credentials) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
