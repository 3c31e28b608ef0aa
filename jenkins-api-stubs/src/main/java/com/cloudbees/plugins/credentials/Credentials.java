package com.cloudbees.plugins.credentials;

import hudson.ExtensionPoint;
import hudson.model.Describable;
import java.io.Serializable;

/** Compile-only stub of com.cloudbees.plugins.credentials.Credentials from org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0: only the signatures the plugin calls. */
public interface Credentials extends Describable<Credentials>, Serializable, ExtensionPoint {
}
