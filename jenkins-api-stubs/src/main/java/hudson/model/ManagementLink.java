package hudson.model;

import hudson.ExtensionPoint;
import hudson.security.Permission;

/** Compile-only stub of hudson.model.ManagementLink from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class ManagementLink implements ExtensionPoint, Action {
    @Override
    public abstract String getIconFileName();

    public String getDescription() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public abstract String getUrlName();

    public Permission getRequiredPermission() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public Category getCategory() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public enum Category {
        CONFIGURATION, SECURITY, STATUS, TROUBLESHOOTING, TOOLS, MISC, UNCATEGORIZED
    }
}
