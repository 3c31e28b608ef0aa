package io.github.ephemeralcredentials.core.exchange;

import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.Profile;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A request resolved before any CI token exists: which provider, with what, for how long, and the {@code aud} the
 * token must carry — so a host asks its CI system (or its own issuer) for the right token, and a bad request fails
 * before anything is asked of anyone.
 *
 * @param policy     the trust policy that will decide, or {@code null} for a direct request
 * @param profile    the profile asked for, or {@code null}
 * @param descriptor the provider's descriptor
 * @param audience   the {@code aud} to request and to verify, or {@code null}: the CI system's default
 */
public record Plan(Policy policy, String profile, ProviderDescriptor descriptor, Map<String, Object> parameters,
                   Map<String, Object> scope, Duration lifetime, String audience, String owner) {

    public Plan {
        Objects.requireNonNull(descriptor, "descriptor");
        parameters = Map.copyOf(parameters);
        scope = Map.copyOf(scope);
        Objects.requireNonNull(lifetime, "lifetime");
    }

    public String provider() {
        return descriptor.id();
    }

    /**
     * Resolves {@code request} against {@code policy} (required when the request names a profile) and the
     * providers' descriptors.
     *
     * @throws ExchangeException naming what is wrong with the request and what to do
     */
    public static Plan of(CredentialRequest request, Policy policy, Map<String, ProviderDescriptor> descriptors) {
        if (request.profile() == null) {
            return direct(request, descriptors);
        }
        if (policy == null) {
            throw new ExchangeException(ExchangeException.Reason.INVALID_REQUEST, "profile '" + request.profile()
                    + "' needs the trust policy that defines it");
        }
        if (!request.parameters().isEmpty() || !request.scope().isEmpty()) {
            throw new ExchangeException(ExchangeException.Reason.INVALID_REQUEST, "profile '" + request.profile()
                    + "' fixes the provider's parameters and scope; remove " + new TreeSet<>(request.parameters().keySet())
                    + new TreeSet<>(request.scope().keySet()) + " from the request (or set them in the profile)");
        }
        Profile profile = policy.profile(request.profile()).orElseThrow(() -> new ExchangeException(
                ExchangeException.Reason.UNKNOWN_PROFILE, "the trust policy " + policy.source() + " defines no profile '"
                + request.profile() + "'; it defines " + String.join(", ", new TreeSet<>(policy.profiles().keySet()))));
        if (request.provider() != null && !request.provider().equals(profile.provider())) {
            throw new ExchangeException(ExchangeException.Reason.INVALID_REQUEST, "provider '" + request.provider()
                    + "' was asked for, but profile '" + profile.name() + "' is for provider '" + profile.provider()
                    + "'; ask for no provider or pick another profile");
        }
        ProviderDescriptor descriptor = descriptor(profile.provider(), descriptors, "profile '" + profile.name() + "' names ");
        Duration asked = request.lifetime() == null ? profile.maxLifetime() : request.lifetime();
        // A profile's lifetime is a cap: a longer request is shortened to it, never refused.
        Duration lifetime = asked.compareTo(profile.maxLifetime()) > 0 ? profile.maxLifetime() : asked;
        return new Plan(policy, profile.name(), descriptor, tokenFile(request, descriptor, profile.parameters()),
                profile.scope(), lifetime, audience(request, descriptor, profile.parameters()), profile.owner());
    }

    private static Plan direct(CredentialRequest request, Map<String, ProviderDescriptor> descriptors) {
        if (request.provider() == null) {
            throw new ExchangeException(ExchangeException.Reason.INVALID_REQUEST, "name a provider ("
                    + String.join(", ", new TreeSet<>(descriptors.keySet())) + ") or a profile of a trust policy");
        }
        ProviderDescriptor descriptor = descriptor(request.provider(), descriptors, "the request names ");
        Duration lifetime = request.lifetime() == null ? CredentialRequest.DEFAULT_LIFETIME : request.lifetime();
        return new Plan(null, null, descriptor, tokenFile(request, descriptor, request.parameters()), request.scope(),
                lifetime, audience(request, descriptor, request.parameters()), null);
    }

    /** The parameters, with the provider's own token-file mode switched on when the request asks for a token file. */
    private static Map<String, Object> tokenFile(CredentialRequest request, ProviderDescriptor descriptor,
                                                 Map<String, Object> parameters) {
        if (!request.tokenFile()) {
            return parameters;
        }
        String flag = descriptor.tokenFileParameter();
        if (flag == null) {
            throw new ExchangeException(ExchangeException.Reason.INVALID_REQUEST, "provider '" + descriptor.id()
                    + "' has no token-file mode (its SDKs do not read a CI token from a file); ask for its "
                    + "credentials instead of a token file");
        }
        Map<String, Object> with = new java.util.LinkedHashMap<>(parameters);
        with.putIfAbsent(flag, true);
        return with;
    }

    private static ProviderDescriptor descriptor(String id, Map<String, ProviderDescriptor> descriptors, String who) {
        ProviderDescriptor descriptor = descriptors.get(id);
        if (descriptor == null) {
            throw new ExchangeException(ExchangeException.Reason.UNKNOWN_PROVIDER, who + "provider '" + id
                    + "', which this installation does not have; use one of "
                    + String.join(", ", new TreeSet<>(descriptors.keySet())));
        }
        return descriptor;
    }

    private static String audience(CredentialRequest request, ProviderDescriptor descriptor, Map<String, Object> parameters) {
        return Optional.ofNullable(request.audience()).filter(a -> !a.isBlank())
                .or(() -> descriptor.defaultAudience(parameters)).orElse(null);
    }
}
