package org.jenkinsci.plugins.workflow.steps;

/** Compile-only stub of org.jenkinsci.plugins.workflow.steps.BodyInvoker from org.jenkins-ci.plugins.workflow:workflow-step-api 724.v538c2362b_dfb_: only the signatures the plugin calls. */
public abstract class BodyInvoker {
    public abstract BodyInvoker withContext(Object override);

    public BodyInvoker withContexts(Object... overrides) {
        throw new UnsupportedOperationException("compile-only stub");
    }

    public abstract BodyInvoker withCallback(BodyExecutionCallback callback);

    public abstract BodyExecution start();
}
