package hudson.model;

import jenkins.util.io.OnMaster;

import hudson.security.AccessControlled;

/** Compile-only stub of hudson.model.Item from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public interface Item extends ModelObject, AccessControlled, OnMaster {
    ItemGroup<? extends Item> getParent();

    String getFullName();
}
