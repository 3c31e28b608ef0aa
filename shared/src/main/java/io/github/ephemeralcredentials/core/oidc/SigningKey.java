package io.github.ephemeralcredentials.core.oidc;

import com.nimbusds.jose.jwk.JWK;
import java.time.Instant;
import java.util.Objects;

/**
 * One key of an issuer's {@link KeyRing}. Holds private key material: never log it, store it only encrypted.
 *
 * @param key           the private JWK, with {@code kid}, {@code use=sig} and {@code alg}
 * @param createdAt     when it was generated
 * @param publishUntil  for a retired key, when it leaves the JWKS; {@code null} for the active key
 */
public record SigningKey(JWK key, Instant createdAt, Instant publishUntil) {

    public SigningKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(createdAt, "createdAt");
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("signing key '" + key.getKeyID() + "' has no private part");
        }
        if (key.getKeyID() == null) {
            throw new IllegalArgumentException("signing keys need a 'kid' so relying parties can pick them");
        }
    }

    public String kid() {
        return key.getKeyID();
    }

    public SigningAlgorithm algorithm() {
        return SigningAlgorithm.of(key);
    }

    SigningKey retire(Instant until) {
        return new SigningKey(key, createdAt, until);
    }

    @Override
    public String toString() {
        // The record's default would print the private key.
        return "SigningKey[kid=" + kid() + ", alg=" + algorithm() + ", createdAt=" + createdAt
                + ", publishUntil=" + publishUntil + "]";
    }
}
