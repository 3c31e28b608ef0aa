package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Compile-only stub of org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback from org.jenkins-ci.plugins.workflow:workflow-step-api 724.v538c2362b_dfb_: only the signatures the plugin calls. */
public abstract class BodyExecutionCallback implements Serializable {
    private static final long serialVersionUID = 1L;

    public void onStart(StepContext context) {
    }

    public abstract void onSuccess(StepContext context, Object result);

    public abstract void onFailure(StepContext context, Throwable t);
}
