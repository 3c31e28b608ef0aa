package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.action.ActionException.Reason;
import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.exchange.Exchange;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyException;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import io.github.ephemeralcredentials.core.policy.Profile;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The host's one call of the core. Before the token is requested: the plan — from the inputs, or, with {@code policy}
 * and {@code profile}, from the policy's profile (so bad inputs fail before anything is asked of the runner). Then,
 * with a policy, the core's {@link Exchange} (policy decision on the token's claims, then the profile's provider,
 * lifetime capped by the profile); without one, the named provider directly.
 */
public final class CoreExchange {

    private final ExchangePlan plan;
    private final Policy policy;
    private final String profile;

    private CoreExchange(ExchangePlan plan, Policy policy, String profile) {
        this.plan = plan;
        this.policy = policy;
        this.profile = profile;
    }

    /** The names of the inputs an exchange reads besides {@code policy} and {@code profile}. */
    public static Set<String> inputNames() {
        Set<String> names = new TreeSet<>(ProviderInputs.inputs());
        names.add("provider");
        names.add("audience");
        return Collections.unmodifiableSet(names);
    }

    public static CoreExchange prepare(ActionInputs inputs, Path workspace) {
        Optional<String> policyPath = inputs.get("policy");
        Optional<String> profileName = inputs.get("profile");
        if (policyPath.isEmpty()) {
            if (profileName.isPresent()) {
                throw new ActionException(Reason.INVALID_INPUT, "input `profile` needs `policy`: the path of the "
                        + "trust policy file in the repository that defines profile '" + profileName.get() + "'");
            }
            return new CoreExchange(ProviderInputs.plan(inputs), null, null);
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
        return new CoreExchange(new ExchangePlan(p.provider(), p.parameters(), p.scope(), lifetime, audience), policy, name);
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
     * Exchanges the token, handing the audit record of every outcome to {@code audit} with the secrets to redact
     * from it (the CI tokens handed out, the issued secrets).
     *
     * @throws ActionException   {@link Reason#POLICY_DENIED} with the engine's explanation as detail
     * @throws ProviderException when the provider refused or failed
     */
    public EphemeralCredential run(Claims claims, Supplier<String> ciToken, ActionRuntime runtime,
                                   BiConsumer<AuditRecord, Redactor> audit) {
        List<String> handedOut = new CopyOnWriteArrayList<>();
        Supplier<String> remembering = () -> {
            String token = ciToken.get();
            handedOut.add(token);
            return token;
        };
        if (policy == null) {
            return direct(claims, remembering, handedOut, runtime, audit);
        }
        ExchangeOutcome outcome = new Exchange(runtime.providers(), AuditRecord.DEFAULT_CLAIMS, Clock.systemUTC())
                .run(policy, claims, remembering, profile, plan.lifetime());
        return settle(outcome, handedOut, audit);
    }

    /** Writes the outcome's audit record (with the tokens handed out and the issued secrets to redact), then
     *  returns the credential or throws what refused it. */
    private EphemeralCredential settle(ExchangeOutcome outcome, List<String> handedOut,
                                       BiConsumer<AuditRecord, Redactor> audit) {
        List<String> secrets = new ArrayList<>(handedOut);
        if (outcome instanceof ExchangeOutcome.Issued issued) {
            secrets.addAll(issued.credential().secrets());
        }
        audit.accept(outcome.audit(), Redactor.of(secrets));
        if (outcome instanceof ExchangeOutcome.Denied denied) {
            throw new ActionException(Reason.POLICY_DENIED, "the trust policy denied profile '" + profile + "': "
                    + denied.decision().summary() + " — the provider was not called",
                    denied.decision().explain().stripTrailing());
        }
        if (outcome instanceof ExchangeOutcome.Failed failed) {
            throw failed.failure();
        }
        return ((ExchangeOutcome.Issued) outcome).credential();
    }

    /** Without a policy: the named provider, through the core's policy-less exchange (same call, same audit). */
    private EphemeralCredential direct(Claims claims, Supplier<String> ciToken, List<String> handedOut,
                                       ActionRuntime runtime, BiConsumer<AuditRecord, Redactor> audit) {
        runtime.provider(plan.provider()); // an unknown provider is a bad input, said in the action's own words
        ExchangeOutcome outcome = new Exchange(runtime.providers(), AuditRecord.DEFAULT_CLAIMS, Clock.systemUTC())
                .direct(claims, ciToken, plan.provider(), plan.parameters(), plan.scope(), plan.lifetime());
        return settle(outcome, handedOut, audit);
    }
}
