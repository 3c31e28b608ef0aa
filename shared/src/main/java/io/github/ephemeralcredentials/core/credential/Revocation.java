package io.github.ephemeralcredentials.core.credential;

import java.util.Map;
import java.util.Objects;

/**
 * What a provider needs to take a credential back, as data rather than a closure: a GitHub Action's post step
 * runs in another process and receives it in the exchange's cleanup record.
 *
 * @param provider   the provider id that can perform it
 * @param kind       what to revoke (e.g. {@code vault-token}, {@code rfc7009}, {@code github-installation-token})
 * @param parameters what the provider needs; values may be secrets (the token to revoke) and are redacted in
 *                   {@link #toString()}
 */
public record Revocation(String provider, String kind, Map<String, String> parameters) {

    public Revocation {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kind, "kind");
        parameters = Map.copyOf(parameters);
    }

    @Override
    public String toString() {
        return "Revocation[" + provider + "/" + kind + ", parameters=" + parameters.keySet() + "]";
    }
}
