package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Descriptor;
import java.util.Set;

/** Compile-only stub of org.jenkinsci.plugins.workflow.steps.StepDescriptor from org.jenkins-ci.plugins.workflow:workflow-step-api 724.v538c2362b_dfb_: only the signatures the plugin calls. */
public abstract class StepDescriptor extends Descriptor<Step> {
    public abstract Set<? extends Class<?>> getRequiredContext();

    public abstract String getFunctionName();

    public boolean takesImplicitBlockArgument() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
