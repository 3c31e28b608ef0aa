package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.oidc.Claims;
import java.nio.file.Path;

/**
 * What is decided before the provider is called: the plan (from the inputs, or from the policy profile) and, with a
 * policy, the pre-flight evaluation of the token's claims.
 */
final class Preflight {

    private final ExchangePlan plan;

    private Preflight(ExchangePlan plan) {
        this.plan = plan;
    }

    static Preflight prepare(ActionInputs inputs, Path workspace, ActionRuntime runtime) {
        return new Preflight(ProviderInputs.plan(inputs));
    }

    ExchangePlan plan() {
        return plan;
    }

    void check(Claims claims, WorkflowCommands commands) {
    }
}
