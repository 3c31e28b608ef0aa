package jenkins.model;

import jenkins.util.io.OnMaster;

import hudson.model.ItemGroup;
import hudson.model.TopLevelItem;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import java.io.File;

/** Compile-only stub of jenkins.model.Jenkins from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public class Jenkins implements ItemGroup<TopLevelItem>, AccessControlled, OnMaster {
    public static final Permission ADMINISTER = null;

    /** The proxy of Manage Jenkins › System › HTTP Proxy Configuration, or {@code null}. */
    public volatile hudson.ProxyConfiguration proxy;

    public static Jenkins get() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public String getRootUrl() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public File getRootDir() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public String getFullName() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
