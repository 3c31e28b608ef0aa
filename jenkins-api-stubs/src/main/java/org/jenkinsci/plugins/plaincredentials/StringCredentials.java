package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.util.Secret;

/** Compile-only stub of org.jenkinsci.plugins.plaincredentials.StringCredentials from org.jenkins-ci.plugins:plain-credentials 199.v9f8e1f741799: only the signatures the plugin calls. */
public interface StringCredentials extends StandardCredentials {
    Secret getSecret();
}
