package org.jenkinsci.plugins.workflow.steps;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

/** Compile-only stub of org.jenkinsci.plugins.workflow.steps.Step from org.jenkins-ci.plugins.workflow:workflow-step-api 724.v538c2362b_dfb_: only the signatures the plugin calls. */
public abstract class Step extends AbstractDescribableImpl<Step> implements ExtensionPoint {
    public abstract StepExecution start(StepContext context) throws Exception;

    @Override
    public StepDescriptor getDescriptor() {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
