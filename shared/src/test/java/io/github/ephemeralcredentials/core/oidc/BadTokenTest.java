package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.OidcException.Reason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a token or an issuer can be wrong, each refused with its exact reason and no token in the message. */
class BadTokenTest {

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

    private TokenVerifier verifier() {
        return verifier(HttpSettings.DEFAULT);
    }

    private TokenVerifier verifier(HttpSettings http) {
        return issuer.verifier(http).build();
    }

    private JWTClaimsSet.Builder validClaims() {
        return issuer.validClaims();
    }

    private String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) throws Exception {
        return RsaIssuerFixture.sign(header, claims, key);
    }

    private String signValid(JWTClaimsSet claims) throws Exception {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuerKey.getKeyID()).build(), claims, issuerKey);
    }

    private static void assertRefused(ThrowingCallable call, Reason reason, String token) {
        assertThatThrownBy(call).isInstanceOfSatisfying(OidcException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            if (token != null && token.length() > 20) {
                // The message may name claim values but never carries the token or its signature.
                assertThat(e.getMessage()).doesNotContain(token);
                String signature = token.substring(token.lastIndexOf('.') + 1);
                if (!signature.isEmpty()) {
                    assertThat(e.getMessage()).doesNotContain(signature);
                }
            }
        });
    }

    @Test
    void algNone() {
        String token = new PlainJWT(new PlainHeader(), validClaims().build()).serialize();
        assertRefused(() -> verifier().verify(token), Reason.UNSUPPORTED_ALGORITHM, token);
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyBytes() throws Exception {
        // The classic key-confusion attack: an HMAC whose "secret" is the issuer's public key.
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuerKey.getKeyID()).build(), validClaims().build());
        jwt.sign(new MACSigner(issuerKey.toPublicKey().getEncoded()));
        String token = jwt.serialize();
        assertRefused(() -> verifier().verify(token), Reason.UNSUPPORTED_ALGORITHM, token);
    }

    @Test
    void embeddedJwkHeaderIsNotAKeySource() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwk(attacker.toPublicJWK()).build(),
                validClaims().build(), attacker);
        assertRefused(() -> verifier().verify(token), Reason.UNKNOWN_KEY, token);
    }

    @Test
    void jkuAndX5uHeadersAreNotKeySources() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker")
                        .jwkURL(URI.create("https://attacker.example/jwks")).x509CertURL(URI.create("https://attacker.example/cert"))
                        .build(), validClaims().build(), attacker);
        assertRefused(() -> verifier().verify(token), Reason.UNKNOWN_KEY, token);
        assertThat(server.server().getRequestCount()).as("only our issuer was asked, never the header's URLs").isEqualTo(server.discoveryFetches() + server.jwksFetches());
    }

    @Test
    void attackerKeyUnderTheIssuersKidFailsTheSignature() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(issuerKey.getKeyID()).generate();
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuerKey.getKeyID()).jwk(attacker.toPublicJWK()).build(),
                validClaims().build(), attacker);
        assertRefused(() -> verifier().verify(token), Reason.BAD_SIGNATURE, token);
    }

    @Test
    void unknownCriticalHeader() throws Exception {
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuerKey.getKeyID())
                .customParam("acme-binding", "x").criticalParams(Set.of("acme-binding")).build(), validClaims().build(), issuerKey);
        assertRefused(() -> verifier().verify(token), Reason.UNSUPPORTED_CRITICAL_HEADER, token);
    }

    @Test
    void expired() throws Exception {
        String token = signValid(validClaims().expirationTime(Date.from(clock.instant().minusSeconds(61))).build());
        assertRefused(() -> verifier().verify(token), Reason.EXPIRED, token);
    }

    @Test
    void expiredWithinTheClockSkewStillVerifies() throws Exception {
        String token = signValid(validClaims().expirationTime(Date.from(clock.instant().minusSeconds(30))).build());
        assertThat(verifier().verify(token).subject()).isNotNull();
    }

    @Test
    void notYetValid() throws Exception {
        String token = signValid(validClaims().notBeforeTime(Date.from(clock.instant().plusSeconds(120))).build());
        assertRefused(() -> verifier().verify(token), Reason.NOT_YET_VALID, token);
    }

    @Test
    void issuedInTheFuture() throws Exception {
        String token = signValid(validClaims().issueTime(Date.from(clock.instant().plusSeconds(600))).build());
        assertRefused(() -> verifier().verify(token), Reason.ISSUED_IN_FUTURE, token);
    }

    @Test
    void olderThanTheMaximumTokenAge() throws Exception {
        String token = signValid(validClaims().issueTime(Date.from(clock.instant().minusSeconds(900)))
                .expirationTime(Date.from(clock.instant().plusSeconds(300))).build());
        JwksCache cache = new JwksCache(HttpClients.create(HttpSettings.DEFAULT), JwksCache.Settings.DEFAULT, clock);
        TokenVerifier strict = TokenVerifier.builder(server.url(), AUD, cache).clock(clock).maxTokenAge(Duration.ofMinutes(10)).build();
        assertRefused(() -> strict.verify(token), Reason.TOO_OLD, token);
    }

    @Test
    void missingExpiry() throws Exception {
        String token = signValid(validClaims().expirationTime(null).build());
        assertRefused(() -> verifier().verify(token), Reason.MISSING_CLAIM, token);
    }

    @Test
    void wrongIssuer() throws Exception {
        String token = signValid(validClaims().issuer("https://token.actions.githubusercontent.com").build());
        assertRefused(() -> verifier().verify(token), Reason.BAD_ISSUER, token);
    }

    @Test
    void issuerWithATrailingSlashIsAnotherIssuer() throws Exception {
        String token = signValid(validClaims().issuer(server.url() + "/").build());
        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOfSatisfying(OidcException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.BAD_ISSUER);
            assertThat(e.getMessage()).contains("'" + server.url() + "/'").contains("trailing slash");
        });
    }

    @Test
    void audienceMissing() throws Exception {
        String token = signValid(validClaims().audience((String) null).build());
        assertRefused(() -> verifier().verify(token), Reason.BAD_AUDIENCE, token);
    }

    @Test
    void audienceWrong() throws Exception {
        String token = signValid(validClaims().audience(List.of("https://github.com/acme", "api://AzureADTokenExchange")).build());
        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOfSatisfying(OidcException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.BAD_AUDIENCE);
            assertThat(e.getMessage()).contains("https://github.com/acme").contains(AUD);
        });
    }

    @Test
    void kidNotInJwksAfterOneRefetch() throws Exception {
        TokenVerifier verifier = verifier();
        verifier.verify(signValid(validClaims().build()));
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("retired-long-ago").generate();
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("retired-long-ago").build(), validClaims().build(), stranger);
        clock.advance(Duration.ofSeconds(31));

        assertRefused(() -> verifier.verify(token), Reason.UNKNOWN_KEY, token);
        assertThat(server.jwksFetches()).isEqualTo(2);
    }

    @Test
    void jwksEndpointFailing() throws Exception {
        server.jwksResponse(jwks -> new MockResponse.Builder().code(500).body("oops").build());
        String token = signValid(validClaims().build());
        assertRefused(() -> verifier().verify(token), Reason.JWKS_UNAVAILABLE, token);
    }

    @Test
    void jwksEndpointServingHtml() throws Exception {
        server.jwksResponse(jwks -> new MockResponse.Builder().setHeader("Content-Type", "text/html")
                .body("<html><body>Sign in</body></html>").build());
        String token = signValid(validClaims().build());
        assertRefused(() -> verifier().verify(token), Reason.JWKS_INVALID, token);
    }

    @Test
    void jwksEndpointServingTenMegabytes() throws Exception {
        String huge = "{\"keys\":[" + "x".repeat(10 * 1024 * 1024) + "]}";
        server.jwksResponse(jwks -> new MockResponse.Builder().body(huge).build());
        String token = signValid(validClaims().build());
        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOfSatisfying(OidcException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.JWKS_INVALID);
            assertThat(e.getMessage()).contains("larger than");
        });
    }

    @Test
    void jwksEndpointHangingIsBoundedByTheTimeout() throws Exception {
        server.jwksResponse(jwks -> new MockResponse.Builder().body(jwks).headersDelay(30, TimeUnit.SECONDS).build());
        String token = signValid(validClaims().build());
        HttpSettings impatient = new HttpSettings(Duration.ofMillis(500), Duration.ofMillis(500), Duration.ofSeconds(1));
        assertThatThrownBy(() -> verifier(impatient).verify(token)).isInstanceOfSatisfying(OidcException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.JWKS_UNAVAILABLE);
            assertThat(e.getMessage()).contains("timed out");
        });
    }

    @Test
    void truncatedToken() throws Exception {
        String token = signValid(validClaims().build());
        String truncated = token.substring(0, token.lastIndexOf('.'));
        assertRefused(() -> verifier().verify(truncated), Reason.MALFORMED, truncated);
    }

    @Test
    void truncatedSignatureFailsVerification() throws Exception {
        String token = signValid(validClaims().build());
        String cut = token.substring(0, token.length() - 10);
        assertRefused(() -> verifier().verify(cut), Reason.BAD_SIGNATURE, cut);
    }

    @Test
    void nonBase64Segments() throws Exception {
        String token = signValid(validClaims().build());
        String[] parts = token.split("\\.");
        String bad = parts[0] + ".%%%not-base64%%%." + parts[2];
        assertRefused(() -> verifier().verify(bad), Reason.MALFORMED, bad);
        // '+' and '/' belong to standard base64, not to base64url: a lenient decoder would skip or mistranslate them.
        String plus = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 10) + "+" + parts[2].substring(11);
        assertRefused(() -> verifier().verify(plus), Reason.MALFORMED, plus);
        assertRefused(() -> verifier().verify("e30.e30.e30"), Reason.MALFORMED, null);
        assertRefused(() -> verifier().verify("   "), Reason.MALFORMED, null);
        assertRefused(() -> verifier().verify("a.b"), Reason.MALFORMED, null);
    }

    @Test
    void duplicateJsonKeysInThePayload() throws Exception {
        // {"sub":"allowed","sub":"smuggled"}: parsers disagree on which wins, so such a token is refused outright.
        Instant now = clock.instant();
        String payload = "{\"iss\":\"" + server.url() + "\",\"aud\":\"" + AUD + "\",\"sub\":\"allowed\",\"sub\":\"smuggled\",\"exp\":"
                + now.plusSeconds(300).getEpochSecond() + "}";
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuerKey.getKeyID()).type(JOSEObjectType.JWT).build();
        Base64URL h = header.toBase64URL();
        Base64URL p = Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8));
        Base64URL sig = new RSASSASigner(issuerKey).sign(header, (h + "." + p).getBytes(StandardCharsets.US_ASCII));
        String token = h + "." + p + "." + sig;
        assertRefused(() -> verifier().verify(token), Reason.MALFORMED, token);
    }

    @Test
    void timeClaimsThatAreNotNumbers() throws Exception {
        String token = signValid(validClaims().claim("exp", "tomorrow").build());
        assertThatThrownBy(() -> verifier().verify(token)).isInstanceOfSatisfying(OidcException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
            assertThat(e.getMessage()).contains("'exp'");
        });
    }

    @Test
    void tokenOver16KiB() throws Exception {
        String token = signValid(validClaims().claim("padding", "p".repeat(17 * 1024)).build());
        assertRefused(() -> verifier().verify(token), Reason.TOO_LARGE, token);
        assertThat(server.jwksFetches()).as("refused before any fetch").isZero();
    }

    @Test
    void algorithmsOutsideTheSafeSetCannotBeAllowed() {
        JwksCache cache = new JwksCache(HttpClients.create(HttpSettings.DEFAULT), JwksCache.Settings.DEFAULT, clock);
        assertThatThrownBy(() -> TokenVerifier.builder(server.url(), AUD, cache).algorithms(Set.of(JWSAlgorithm.HS256)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("HS256");
    }

    @Test
    void anAlgorithmOffTheConfiguredListIsRefused() throws Exception {
        JwksCache cache = new JwksCache(HttpClients.create(HttpSettings.DEFAULT), JwksCache.Settings.DEFAULT, clock);
        TokenVerifier esOnly = TokenVerifier.builder(server.url(), AUD, cache).clock(clock).algorithms(Set.of(JWSAlgorithm.ES256)).build();
        String token = signValid(validClaims().build());
        assertRefused(() -> esOnly.verify(token), Reason.UNSUPPORTED_ALGORITHM, token);
    }

    @Test
    void theHappyPathOfThisSuiteVerifies() throws Exception {
        // Guards the suite itself: the valid token every case above mutates does verify.
        assertThat(verifier().verify(signValid(validClaims().build())).subject()).isEqualTo("repo:acme/app:ref:refs/heads/main");
    }
}
