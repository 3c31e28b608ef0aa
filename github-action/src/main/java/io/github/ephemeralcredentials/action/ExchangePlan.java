package io.github.ephemeralcredentials.action;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What the step will ask for, from the inputs (or the policy profile): the provider, its parameters and scope as the
 * provider reads them, the lifetime, and the {@code aud} of the OIDC token to request.
 */
public record ExchangePlan(String provider, Map<String, Object> parameters, Map<String, Object> scope,
                           Duration lifetime, String audience) {

    public ExchangePlan {
        Objects.requireNonNull(provider, "provider");
        parameters = Map.copyOf(parameters);
        scope = Map.copyOf(scope);
        Objects.requireNonNull(lifetime, "lifetime");
    }
}
