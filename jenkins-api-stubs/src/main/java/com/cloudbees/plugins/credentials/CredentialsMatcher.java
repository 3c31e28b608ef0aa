package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** Compile-only stub of com.cloudbees.plugins.credentials.CredentialsMatcher from org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0: only the signatures the plugin calls. */
public interface CredentialsMatcher extends Serializable {
    boolean matches(Credentials item);
}
