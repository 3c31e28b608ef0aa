package io.github.ephemeralcredentials.core.oidc;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Claims whose token was verified ({@link TokenVerifier}) or minted by this very process ({@link BuildTokens}).
 * Not a record, so that nothing outside this package can vouch for claims it did not check.
 */
public final class VerifiedClaims implements CiClaims {

    private final Claims claims;
    private final String provenance;

    VerifiedClaims(Claims claims, String provenance) {
        this.claims = Objects.requireNonNull(claims, "claims");
        this.provenance = Objects.requireNonNull(provenance, "provenance");
    }

    @Override
    public Claims claims() {
        return claims;
    }

    @Override
    public String provenance() {
        return provenance;
    }

    public String issuer() {
        return claims.issuer();
    }

    public String subject() {
        return claims.subject();
    }

    public List<String> audience() {
        return claims.audience();
    }

    public Optional<String> string(String name) {
        return claims.string(name);
    }

    public Optional<String> jwtId() {
        return claims.jwtId();
    }

    public Optional<Instant> expiresAt() {
        return claims.expiresAt();
    }

    public Map<String, Object> values() {
        return claims.values();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VerifiedClaims v && v.claims.equals(claims);
    }

    @Override
    public int hashCode() {
        return claims.hashCode();
    }

    @Override
    public String toString() {
        return "VerifiedClaims[" + provenance + ", " + claims + "]";
    }
}
