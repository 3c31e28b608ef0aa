package io.github.ephemeralcredentials.core.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.UUID;

/**
 * The key types our issuers sign with: RSA-2048 (what every relying party accepts), EC P-256, or Ed25519 (for
 * relying parties that want EdDSA).
 */
public enum SigningAlgorithm {
    RS256(JWSAlgorithm.RS256),
    ES256(JWSAlgorithm.ES256),
    EdDSA(JWSAlgorithm.EdDSA);

    private final JWSAlgorithm jws;

    SigningAlgorithm(JWSAlgorithm jws) {
        this.jws = jws;
    }

    public JWSAlgorithm jws() {
        return jws;
    }

    /** A fresh private key with a random {@code kid}, marked for signatures with this algorithm. */
    public JWK generate() {
        String kid = UUID.randomUUID().toString();
        try {
            return switch (this) {
                case RS256 -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(jws).generate();
                case ES256 -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(jws).generate();
                case EdDSA -> new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).keyUse(KeyUse.SIGNATURE)
                        .algorithm(jws).generate();
            };
        } catch (JOSEException e) {
            throw new IllegalStateException("the JDK could not generate a " + this + " key", e);
        }
    }

    private static final DefaultJWSVerifierFactory VERIFIERS = new DefaultJWSVerifierFactory();

    /** A verifier of {@code header}'s signature with {@code key}'s public half. */
    static JWSVerifier verifier(JWSHeader header, JWK key) throws JOSEException {
        // Nimbus cannot export an OKP key as a JDK PublicKey, so Ed25519 gets its own verifier.
        return key instanceof OctetKeyPair okp ? new Ed25519Verifier(okp.toPublicJWK())
                : VERIFIERS.createJWSVerifier(header, ((AsymmetricJWK) key).toPublicKey());
    }

    public static SigningAlgorithm of(JWK key) {
        String name = key.getAlgorithm() == null ? "" : key.getAlgorithm().getName();
        return name.equals("ES256") ? ES256 : name.equals("EdDSA") ? EdDSA : RS256;
    }
}
