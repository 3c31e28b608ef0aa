package org.jenkinsci.plugins.workflow.steps;

import hudson.EnvVars;
import java.io.IOException;
import java.io.Serializable;
import java.util.Set;

/** Compile-only stub of org.jenkinsci.plugins.workflow.steps.EnvironmentExpander from org.jenkins-ci.plugins.workflow:workflow-step-api 724.v538c2362b_dfb_: only the signatures the plugin calls. */
public abstract class EnvironmentExpander implements Serializable {
    private static final long serialVersionUID = 1L;

    public abstract void expand(EnvVars env) throws IOException, InterruptedException;

    public Set<String> getSensitiveVariables() {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public static EnvironmentExpander merge(EnvironmentExpander original, EnvironmentExpander subsequent) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
