package io.github.ephemeralcredentials.core.provider;

import io.github.ephemeralcredentials.core.oidc.Claims;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One exchange, after the caller's policy decision allowed it.
 *
 * @param ciToken    supplies the CI job's OIDC token; called again when a retry would outlive the token
 * @param claims     the token's verified (or, for a provider that verifies itself, decoded) claims: used for
 *                   session names and audit, never for authorisation
 * @param parameters the profile's provider parameters (role ARN, Vault role, ...), as written in the policy file
 * @param scope      the profile's scope (inline session policy, GitHub permissions, OAuth scopes, ...), may be empty
 * @param lifetime   requested lifetime, already capped by the policy's maximum
 * @param owner      the team owning the profile, or {@code null}: providers that name sessions put it first so the
 *                   provider's own logs (CloudTrail, say) show whose credential it was
 */
public record ExchangeRequest(Supplier<String> ciToken, Claims claims, Map<String, Object> parameters,
                              Map<String, Object> scope, Duration lifetime, String owner) {

    /** A request without a profile owner (no policy in play). */
    public ExchangeRequest(Supplier<String> ciToken, Claims claims, Map<String, Object> parameters,
                           Map<String, Object> scope, Duration lifetime) {
        this(ciToken, claims, parameters, scope, lifetime, null);
    }

    public ExchangeRequest {
        Objects.requireNonNull(ciToken, "ciToken");
        Objects.requireNonNull(claims, "claims");
        parameters = Map.copyOf(parameters);
        scope = Map.copyOf(scope);
        Objects.requireNonNull(lifetime, "lifetime");
    }

    @Override
    public String toString() {
        return "ExchangeRequest[parameters=" + parameters + ", scope=" + scope + ", lifetime=" + lifetime
                + (owner == null ? "" : ", owner=" + owner) + "]";
    }
}
