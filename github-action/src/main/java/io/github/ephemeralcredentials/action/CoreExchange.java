package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.action.ActionException.Reason;
import io.github.ephemeralcredentials.core.audit.AuditFile;
import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.exchange.CredentialRequest;
import io.github.ephemeralcredentials.core.exchange.Exchange;
import io.github.ephemeralcredentials.core.exchange.ExchangeException;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.exchange.Plan;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.oidc.CiClaims;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyException;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The step's inputs as one request to the core's {@link Exchange}, planned before the token is requested (so bad
 * inputs fail before anything is asked of the runner): with {@code policy} and {@code profile}, the policy's
 * profile; without, the provider the inputs name. A policy read from the job's own checkout is a pre-flight that
 * explains a denial early — the cloud's trust configuration enforces; the core refuses providers that would issue
 * on these unverified claims alone.
 */
public final class CoreExchange {

    private final Plan plan;

    private CoreExchange(Plan plan) {
        this.plan = plan;
    }

    public static CoreExchange prepare(ActionInputs inputs, Path workspace) {
        Optional<String> policyPath = inputs.get("policy");
        Optional<String> profileName = inputs.get("profile");
        String audience = inputs.get("audience").orElse(null);
        if (policyPath.isEmpty()) {
            if (profileName.isPresent()) {
                throw new ActionException(Reason.INVALID_INPUT, "input `profile` needs `policy`: the path of the "
                        + "trust policy file in the repository that defines profile '" + profileName.get() + "'");
            }
            ExchangePlan asked = ProviderInputs.plan(inputs);
            return plan(CredentialRequest.direct(asked.provider(), asked.parameters(), asked.scope())
                    .withLifetime(asked.lifetime()).withAudience(audience), null);
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
        String provider = inputs.get("provider").orElse(null);
        // The request asks for the step's default (or its lifetime input); the profile's maximum caps it. An unknown
        // profile is the core's to report, with the profiles there are.
        Duration lifetime = policy.profile(name).flatMap(p -> ProviderInputs.requestedLifetime(inputs, p.provider()))
                .orElse(ProviderInputs.DEFAULT_LIFETIME);
        CredentialRequest request = CredentialRequest.forProfile(name).withProvider(provider).withAudience(audience)
                .withLifetime(lifetime);
        return plan(request, policy);
    }

    private static CoreExchange plan(CredentialRequest request, Policy policy) {
        try {
            return new CoreExchange(Exchange.plan(request, policy));
        } catch (ExchangeException e) {
            throw new ActionException(Reason.INVALID_INPUT, e.getMessage());
        }
    }

    private static Policy load(Path file) {
        try {
            return PolicyLoader.load(file, Providers.descriptors());
        } catch (PolicyException e) {
            throw new ActionException(Reason.INVALID_INPUT, "the trust policy cannot be used:\n" + e.getMessage(), e);
        }
    }

    public Plan plan() {
        return plan;
    }

    /**
     * Exchanges the token through the core and appends the outcome's audit record.
     *
     * @throws ActionException   {@link Reason#POLICY_DENIED} with the engine's explanation as detail, or
     *                           {@link Reason#INVALID_INPUT} when the provider would issue on unverified claims
     * @throws ProviderException when the provider refused or failed
     */
    public ExchangeOutcome.Issued run(CiClaims claims, Supplier<String> ciToken, ActionRuntime runtime, AuditFile audit) {
        ExchangeOutcome outcome;
        try {
            outcome = new Exchange(runtime.providers(), AuditRecord.DEFAULT_CLAIMS, Clock.systemUTC())
                    .run(plan, claims, ciToken);
        } catch (ExchangeException e) {
            throw new ActionException(Reason.INVALID_INPUT, e.getMessage());
        }
        audit.write(outcome.audit(), Redactor.none());
        if (outcome instanceof ExchangeOutcome.Denied denied) {
            throw new ActionException(Reason.POLICY_DENIED, "the trust policy denied profile '" + plan.profile()
                    + "': " + denied.decision().summary() + " — the provider was not called",
                    denied.decision().explain().stripTrailing());
        }
        if (outcome instanceof ExchangeOutcome.Failed failed) {
            throw failed.failure();
        }
        return (ExchangeOutcome.Issued) outcome;
    }
}
