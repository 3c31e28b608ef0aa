package io.github.ephemeralcredentials.core.exchange;

import java.time.Duration;
import java.util.Map;

/**
 * What a host asks for, in no host's terms: a policy profile, or a provider with its parameters and scope (no
 * policy in play); the lifetime and the {@code aud} of the CI token, each {@code null} for the default.
 *
 * @param profile    the policy profile, or {@code null} for a direct request
 * @param provider   the provider id; with a profile, {@code null} or the profile's own provider
 * @param parameters the provider's parameters under the provider's own names (only without a profile)
 * @param scope      the provider's scope entries (only without a profile)
 * @param lifetime   the lifetime asked for, or {@code null}: the profile's maximum, or {@link #DEFAULT_LIFETIME}
 * @param audience   the CI token's {@code aud}, or {@code null} for the provider's default
 * @param tokenFile  hand over the CI token in a file for the SDKs to exchange themselves (AWS's web identity token
 *                   file), instead of exchanging it here: for a host that keeps the file fresh
 */
public record CredentialRequest(String profile, String provider, Map<String, Object> parameters,
                                Map<String, Object> scope, Duration lifetime, String audience, boolean tokenFile) {

    /** Without a profile and without a lifetime asked for: short, as the project promises. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

    public CredentialRequest {
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        scope = scope == null ? Map.of() : Map.copyOf(scope);
        if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
            throw new ExchangeException(ExchangeException.Reason.INVALID_REQUEST, "the lifetime asked for is "
                    + lifetime.toSeconds() + " s; ask for a positive number of seconds");
        }
    }

    public static CredentialRequest forProfile(String profile) {
        return new CredentialRequest(profile, null, Map.of(), Map.of(), null, null, false);
    }

    public static CredentialRequest direct(String provider, Map<String, Object> parameters, Map<String, Object> scope) {
        return new CredentialRequest(null, provider, parameters, scope, null, null, false);
    }

    public CredentialRequest withProvider(String id) {
        return new CredentialRequest(profile, id, parameters, scope, lifetime, audience, tokenFile);
    }

    public CredentialRequest withLifetime(Duration value) {
        return new CredentialRequest(profile, provider, parameters, scope, value, audience, tokenFile);
    }

    public CredentialRequest withAudience(String value) {
        return new CredentialRequest(profile, provider, parameters, scope, lifetime, value, tokenFile);
    }

    public CredentialRequest withTokenFile(boolean value) {
        return new CredentialRequest(profile, provider, parameters, scope, lifetime, audience, value);
    }
}
