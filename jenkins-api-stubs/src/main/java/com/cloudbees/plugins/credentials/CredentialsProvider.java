package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.ExtensionPoint;
import hudson.model.ItemGroup;
import java.util.List;
import org.springframework.security.core.Authentication;

/** Compile-only stub of com.cloudbees.plugins.credentials.CredentialsProvider from org.jenkins-ci.plugins:credentials 1511.v2e3cb_0008ef0: only the signatures the plugin calls. */
public abstract class CredentialsProvider implements ExtensionPoint {
    public static <C extends Credentials> List<C> lookupCredentialsInItemGroup(Class<C> type, ItemGroup itemGroup,
            Authentication authentication, List<DomainRequirement> domainRequirements) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
