package io.github.ephemeralcredentials.core.oidc;

/**
 * A CI token's claims with their provenance in the type: a decision on {@link UnverifiedClaims} is advice, never a
 * grant. Only {@link TokenVerifier} (the issuer's keys, exact {@code iss} and {@code aud}, times) and a host that
 * minted the token itself ({@link BuildTokens}) make {@link VerifiedClaims}.
 */
public sealed interface CiClaims permits VerifiedClaims, UnverifiedClaims {

    Claims claims();

    /** How far the claims can be trusted, in words for messages: "verified against ...", "decoded, not verified". */
    String provenance();

    default boolean verified() {
        return this instanceof VerifiedClaims;
    }
}
