package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** Compile-only stub of com.cloudbees.plugins.credentials.common.IdCredentials from org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0: only the signatures the plugin calls. */
public interface IdCredentials extends Credentials {
    String getId();
}
