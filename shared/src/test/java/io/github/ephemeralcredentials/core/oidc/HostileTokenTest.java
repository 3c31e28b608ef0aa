package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.OidcException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the adversarial run of the verifier found beyond the 27-token corpus of {@link BadTokenTest}. */
class HostileTokenTest {

    private static final String AUD = RsaIssuerFixture.AUD;

    private RsaIssuerFixture issuer;
    private MutableClock clock;
    private IssuerServer server;
    private RSAKey issuerKey;

    @BeforeEach
    void start() throws Exception {
        issuer = new RsaIssuerFixture();
        clock = issuer.clock;
        server = issuer.server;
        issuerKey = issuer.key;
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private TokenVerifier verifier(Duration maxTokenAge) {
        return issuer.verifier(HttpSettings.DEFAULT).maxTokenAge(maxTokenAge).build();
    }

    private JWTClaimsSet.Builder validClaims() {
        return issuer.validClaims();
    }

    private static String sign(JWSAlgorithm alg, JWTClaimsSet claims, RSAKey key) throws Exception {
        return RsaIssuerFixture.sign(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims, key);
    }

    @Test
    void timeClaimsBeyondTheRangeOfInstantAreMalformedNotADateTimeException() throws Exception {
        TokenVerifier verifier = verifier(Duration.ofMinutes(10));
        long instantMax = Instant.MAX.getEpochSecond();
        for (String claim : List.of("exp", "nbf", "iat")) {
            for (long value : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, instantMax, instantMax + 1, -instantMax - 1}) {
                String token = sign(JWSAlgorithm.RS256, validClaims().claim(claim, value).build(), issuerKey);
                assertThatThrownBy(() -> verifier.verify(token)).as(claim + "=" + value)
                        .isInstanceOfSatisfying(OidcException.class, e -> {
                            assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
                            assertThat(e.getMessage()).contains("'" + claim + "'").contains("not a date");
                        });
            }
        }
    }

    @Test
    void aKeyPublishedForOneAlgorithmVerifiesNoOther() throws Exception {
        // RFC 8725 section 3.1: the issuer's key says RS256, so the same RSA key must not verify PS256 or RS512.
        assertThat(issuerKey.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        TokenVerifier verifier = verifier(null);
        assertThat(verifier.verify(sign(JWSAlgorithm.RS256, validClaims().build(), issuerKey)).subject()).isNotNull();
        for (JWSAlgorithm other : List.of(JWSAlgorithm.PS256, JWSAlgorithm.RS512, JWSAlgorithm.RS384)) {
            String token = sign(other, validClaims().build(), issuerKey);
            assertThatThrownBy(() -> verifier.verify(token)).as(other.getName())
                    .isInstanceOfSatisfying(OidcException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
                        assertThat(e.getMessage()).contains("published for RS256").contains(other.getName())
                                .contains(issuerKey.getKeyID()).doesNotContain(token);
                    });
        }
    }

    @Test
    void aKeyPublishedWithoutAnAlgorithmVerifiesAnyAllowedOneOfItsType() throws Exception {
        RSAKey noAlg = new RSAKeyGenerator(2048).keyID("no-alg").keyUse(KeyUse.SIGNATURE).generate();
        server.keys(new KeyRing(new SigningKey(noAlg, clock.instant(), null), List.of()));
        TokenVerifier verifier = verifier(null);
        assertThat(verifier.verify(sign(JWSAlgorithm.PS256, validClaims().build(), noAlg)).subject()).isNotNull();
        assertThat(verifier.verify(sign(JWSAlgorithm.RS256, validClaims().build(), noAlg)).subject()).isNotNull();
    }

    @Test
    void anUnknownKidSaysSoWhenTheRefetchWasHeldBack() throws Exception {
        TokenVerifier verifier = verifier(null);
        verifier.verify(sign(JWSAlgorithm.RS256, validClaims().build(), issuerKey));
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("rotated-a-moment-ago").generate();
        String token = sign(JWSAlgorithm.RS256, validClaims().build(), stranger);
        clock.advance(Duration.ofSeconds(5));

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(OidcException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
            assertThat(e.getMessage()).doesNotContain("after a refetch")
                    .contains("not fetched again").contains("2026-11-23T12:00:30Z");
        });
        assertThat(server.jwksFetches()).isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(OidcException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY);
            assertThat(e.getMessage()).contains("after a refetch");
        });
        assertThat(server.jwksFetches()).isEqualTo(2);
    }

    @Test
    void deeplyNestedClaimsAreMalformedBeforeAnyKeyIsFetched() {
        // Under the 16 KiB limit, 5,000 nested arrays: parsed and copied before the signature is checked.
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String payload = "{\"iss\":\"" + server.url() + "\",\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        String token = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + b64.encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".c2ln";
        assertThat(token.length()).isLessThan(TokenVerifier.MAX_TOKEN_CHARS);
        assertThatThrownBy(() -> verifier(null).verify(token)).isInstanceOfSatisfying(OidcException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
        assertThatThrownBy(() -> UnverifiedClaims.decode(token)).isInstanceOfSatisfying(OidcException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
        assertThat(server.jwksFetches()).isZero();
    }

    @Test
    void anEncryptedTokenIsNamedAsSuchWhenDecodedUnverified() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        com.nimbusds.jwt.EncryptedJWT jwe = new com.nimbusds.jwt.EncryptedJWT(
                new com.nimbusds.jose.JWEHeader(com.nimbusds.jose.JWEAlgorithm.RSA_OAEP_256,
                        com.nimbusds.jose.EncryptionMethod.A256GCM), validClaims().build());
        jwe.encrypt(new com.nimbusds.jose.crypto.RSAEncrypter(key.toRSAPublicKey()));
        assertThatThrownBy(() -> UnverifiedClaims.decode(jwe.serialize())).isInstanceOfSatisfying(OidcException.class,
                e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
                    assertThat(e.getMessage()).contains("encrypted (JWE)");
                });
    }

    @Test
    void aHeaderThatIsJsonButNotAnObjectIsMalformed() {
        // Found by TokenVerifierFuzzTest: a header of JSON null made Nimbus throw a NullPointerException.
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        for (String header : List.of("null", "[]", "1", "\"RS256\"", "true")) {
            String token = b64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString("{\"iss\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".c2ln";
            assertThatThrownBy(() -> verifier(null).verify(token)).as(header)
                    .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
            assertThatThrownBy(() -> UnverifiedClaims.decode(token)).as(header).isInstanceOf(OidcException.class);
        }
    }
}
