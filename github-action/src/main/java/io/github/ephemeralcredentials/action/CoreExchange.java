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
import io.github.ephemeralcredentials.core.provider.broker.BrokerDescriptor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The step's inputs as one request to the core's {@link Exchange}, planned before the token is requested (so bad
 * inputs fail before anything is asked of the runner): with {@code policy} and {@code profile}, the policy's
 * profile; with {@code broker-url} and {@code profile}, the token-exchange service's profile, asked for through the
 * service's client; otherwise the provider the inputs name. A policy read from the job's own checkout is a pre-flight that
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
        Optional<String> service = serviceInput(inputs);
        if (service.isPresent()) {
            return brokered(inputs, service.get(), policyPath, profileName, audience);
        }
        if (policyPath.isEmpty()) {
            if (profileName.isPresent()) {
                throw new ActionException(Reason.INVALID_INPUT, "input `profile` needs `policy`: the path of the "
                        + "trust policy file in the repository that defines profile '" + profileName.get() + "' (or "
                        + "`" + String.join("`, `", BrokerDescriptor.DESCRIPTOR.markerInputs()) + "`, when it is a "
                        + "profile of the token-exchange service)");
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

    /** The token-exchange service's input ({@code broker-url}) when the step gives it. */
    private static Optional<String> serviceInput(ActionInputs inputs) {
        return BrokerDescriptor.DESCRIPTOR.markerInputs().stream().filter(input -> inputs.get(input).isPresent())
                .sorted().findFirst();
    }

    /**
     * The token-exchange service decides: it verifies the token and applies its own trust policy, out of the job's
     * reach, and {@code profile} names one of its profiles. So a policy of the job's own is refused (it would look
     * like it decides), and so is a provider other than the service's client: the service's profile fixes the
     * provider behind it. The request is a direct one, for the service's client, with the parameters its descriptor
     * derives from the inputs.
     */
    private static CoreExchange brokered(ActionInputs inputs, String service, Optional<String> policyPath,
                                         Optional<String> profileName, String audience) {
        if (policyPath.isPresent()) {
            throw new ActionException(Reason.INVALID_INPUT, "inputs `" + service + "` and `policy` exclude each "
                    + "other: with `" + service + "` the token-exchange service verifies the token and applies its own "
                    + "trust policy, out of the job's reach, and `profile` names one of the service's profiles; "
                    + "remove `policy`");
        }
        if (profileName.isEmpty()) {
            throw new ActionException(Reason.INVALID_INPUT, "input `" + service + "` needs `profile`: the name of the "
                    + "token-exchange service's profile this step asks for");
        }
        String named = inputs.get("provider").orElse(BrokerDescriptor.DESCRIPTOR.id());
        if (!named.equals(BrokerDescriptor.DESCRIPTOR.id())) {
            throw new ActionException(Reason.INVALID_INPUT, "input `provider` is '" + named + "', but with `"
                    + service + "` the token-exchange service's profile '" + profileName.get() + "' fixes the "
                    + "provider; remove `provider`");
        }
        List<String> others = ProviderInputs.marked(inputs).stream()
                .filter(id -> !id.equals(BrokerDescriptor.DESCRIPTOR.id())).toList();
        if (!others.isEmpty()) {
            throw new ActionException(Reason.INVALID_INPUT, "with `" + service + "` the token-exchange service's "
                    + "profile fixes the provider and its parameters; remove the inputs of " + String.join(", ", others)
                    + " from the step (or set them in the service's profile)");
        }
        ExchangePlan asked = ProviderInputs.plan(inputs);
        return plan(CredentialRequest.direct(asked.provider(), asked.parameters(), asked.scope())
                .withLifetime(asked.lifetime()).withAudience(audience), null);
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
