package jenkins.model;

import hudson.ExtensionPoint;
import hudson.model.ModelObject;

/** Compile-only stub of jenkins.model.GlobalConfigurationCategory from org.jenkins-ci.main:jenkins-core 2.541.3: only the signatures the plugin calls. */
public abstract class GlobalConfigurationCategory implements ExtensionPoint, ModelObject {
    public abstract String getShortDescription();

    public static <T extends GlobalConfigurationCategory> T get(Class<T> type) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static class Security extends GlobalConfigurationCategory {
        @Override
        public String getShortDescription() {
            throw new UnsupportedOperationException("compile-only stub");
        }

        @Override
        public String getDisplayName() {
            throw new UnsupportedOperationException("compile-only stub");
        }
    }
}
