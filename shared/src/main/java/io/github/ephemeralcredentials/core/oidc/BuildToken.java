package io.github.ephemeralcredentials.core.oidc;

import java.util.Objects;

/**
 * A token a host minted for one of its builds, with the claims it carries, so the host evaluates its trust policy on
 * exactly what it signed.
 *
 * @param token  the compact JWT: a secret for as long as it is valid
 * @param claims its claims, trusted because this process signed them
 */
public record BuildToken(String token, VerifiedClaims claims) {

    public BuildToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(claims, "claims");
    }

    @Override
    public String toString() {
        return "BuildToken[sub=" + claims.subject() + ", aud=" + claims.audience() + ", token=****]";
    }
}
