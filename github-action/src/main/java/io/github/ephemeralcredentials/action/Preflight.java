package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.action.ActionException.Reason;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.policy.Decision;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyException;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import io.github.ephemeralcredentials.core.policy.Profile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What is decided before the provider is called: the plan — from the inputs, or, with {@code policy} and
 * {@code profile}, from the policy's profile — and the policy pre-flight on the token's claims, whose denial
 * fails the step with the engine's claim-by-claim explanation.
 */
public final class Preflight {

    private final ExchangePlan plan;
    private final Policy policy;
    private final String profile;

    private Preflight(ExchangePlan plan, Policy policy, String profile) {
        this.plan = plan;
        this.policy = policy;
        this.profile = profile;
    }

    public static Preflight prepare(ActionInputs inputs, Path workspace) {
        Optional<String> policyPath = inputs.get("policy");
        Optional<String> profileName = inputs.get("profile");
        if (policyPath.isEmpty()) {
            if (profileName.isPresent()) {
                throw new ActionException(Reason.INVALID_INPUT, "input `profile` needs `policy`: the path of the "
                        + "trust policy file in the repository that defines profile '" + profileName.get() + "'");
            }
            return new Preflight(ProviderInputs.plan(inputs), null, null);
        }
        String name = profileName.orElseThrow(() -> new ActionException(Reason.INVALID_INPUT, "input `policy` needs "
                + "`profile`: the name of the profile of " + policyPath.get() + " this step asks for"));
        List<String> conflicting = ProviderInputs.providerSpecificInputs().stream()
                .filter(input -> inputs.get(input).isPresent()).toList();
        if (!conflicting.isEmpty()) {
            throw new ActionException(Reason.INVALID_INPUT, "with `policy` and `profile`, the profile fixes the "
                    + "provider's parameters and scope; remove input(s) " + String.join(", ", conflicting)
                    + " from the step (or set them in profile '" + name + "')");
        }
        Policy policy = load(workspace.resolve(policyPath.get()));
        Profile p = policy.profile(name).orElseThrow(() -> new ActionException(Reason.INVALID_INPUT, "policy "
                + policyPath.get() + " defines no profile '" + name + "'; it defines "
                + String.join(", ", policy.profiles().keySet())));
        inputs.get("provider").filter(id -> !id.equals(p.provider())).ifPresent(id -> {
            throw new ActionException(Reason.INVALID_INPUT, "input `provider` is '" + id + "' but profile '" + name
                    + "' is for provider '" + p.provider() + "'; remove `provider` or pick another profile");
        });
        // The request is capped by the profile's maximum, as ExchangeRequest expects.
        Duration requested = ProviderInputs.requestedLifetime(inputs, p.provider()).orElse(ProviderInputs.DEFAULT_LIFETIME);
        Duration lifetime = requested.compareTo(p.maxLifetime()) < 0 ? requested : p.maxLifetime();
        String audience = inputs.get("audience")
                .orElseGet(() -> ProviderInputs.defaultAudience(p.provider(), p.parameters()));
        return new Preflight(new ExchangePlan(p.provider(), p.parameters(), p.scope(), lifetime, audience), policy, name);
    }

    private static Policy load(Path file) {
        try {
            return PolicyLoader.load(file);
        } catch (PolicyException e) {
            throw new ActionException(Reason.INVALID_INPUT, "the trust policy cannot be used:\n" + e.getMessage(), e);
        }
    }

    public ExchangePlan plan() {
        return plan;
    }

    /**
     * With a policy: evaluates it on the token's claims.
     *
     * @return the decision's one-line summary when allowed, empty without a policy
     * @throws ActionException {@link Reason#POLICY_DENIED} with the engine's explanation as detail
     */
    public Optional<String> check(Claims claims) {
        if (policy == null) {
            return Optional.empty();
        }
        Decision decision = policy.evaluate(claims, profile);
        if (!decision.allowed()) {
            throw new ActionException(Reason.POLICY_DENIED, "the trust policy denied profile '" + profile + "': "
                    + decision.summary() + " — the provider was not called", decision.explain().stripTrailing());
        }
        return Optional.of(decision.summary());
    }
}
