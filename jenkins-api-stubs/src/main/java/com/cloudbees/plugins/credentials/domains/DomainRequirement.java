package com.cloudbees.plugins.credentials.domains;

import hudson.ExtensionPoint;

import java.io.Serializable;

/** Compile-only stub of com.cloudbees.plugins.credentials.domains.DomainRequirement from org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0: only the signatures the plugin calls. */
public class DomainRequirement implements ExtensionPoint, Serializable {
    private static final long serialVersionUID = 1L;
}
