package com.cloudbees.plugins.credentials.common;

/** Compile-only stub of com.cloudbees.plugins.credentials.common.StandardCredentials from org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0: only the signatures the plugin calls. */
public interface StandardCredentials extends IdCredentials {
    String getDescription();
}
