package org.jenkinsci.plugins.workflow.steps;

import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.Beta;

import java.io.Serializable;

/** Compile-only stub of org.jenkinsci.plugins.workflow.steps.FailureHandler from org.jenkins-ci.plugins.workflow:workflow-step-api 724.v538c2362b_dfb_: only the signatures the plugin calls. */
@FunctionalInterface
@Restricted(Beta.class)
public interface FailureHandler extends Serializable {
    Throwable handle(StepContext ctx, Throwable t);

    static FailureHandler merge(FailureHandler original, FailureHandler subsequent) {
        throw new UnsupportedOperationException("compile-only stub");
    }
}
