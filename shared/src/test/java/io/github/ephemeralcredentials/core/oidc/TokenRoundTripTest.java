package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Tokens minted by {@link TokenIssuer} verify with {@link TokenVerifier} through real HTTP discovery and JWKS. */
class TokenRoundTripTest {

    private final MutableClock clock = new MutableClock(Instant.now());

    @ParameterizedTest
    @EnumSource(SigningAlgorithm.class)
    void mintedTokenVerifiesThroughDiscoveryAndJwks(SigningAlgorithm algorithm) throws Exception {
        try (IssuerServer server = new IssuerServer(KeyRing.generate(algorithm, clock.instant()), clock)) {
            String token = server.issuer().mint("job:deploy/main", List.of("sts.amazonaws.com"), Duration.ofMinutes(5),
                    Map.of("build_number", 42, "ref_protected", true, "branch", "main"));

            Claims claims = verifier(server.url(), "sts.amazonaws.com").verify(token).claims();

            assertThat(claims.issuer()).isEqualTo(server.url());
            assertThat(claims.subject()).isEqualTo("job:deploy/main");
            assertThat(claims.audience()).containsExactly("sts.amazonaws.com");
            assertThat(claims.string("build_number")).contains("42");
            assertThat(claims.string("ref_protected")).contains("true");
            assertThat(claims.jwtId()).isPresent();
            assertThat(claims.expiresAt()).contains(clock.instant().plusSeconds(300).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(algorithm.jws());
        }
    }

    @Test
    void secondVerificationUsesTheCachedJwks() throws Exception {
        try (IssuerServer server = new IssuerServer(KeyRing.generate(SigningAlgorithm.RS256, clock.instant()), clock)) {
            TokenVerifier verifier = verifier(server.url(), "aud");
            verifier.verify(server.issuer().mint("a", List.of("aud"), Duration.ofMinutes(5), Map.of()));
            verifier.verify(server.issuer().mint("b", List.of("aud"), Duration.ofMinutes(5), Map.of()));

            assertThat(server.discoveryFetches()).isEqualTo(1);
            assertThat(server.jwksFetches()).isEqualTo(1);
        }
    }

    @Test
    void eddsaTokensVerify() throws Exception {
        OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
        try (IssuerServer server = new IssuerServer(KeyRing.generate(SigningAlgorithm.RS256, clock.instant()), clock)) {
            server.jwksResponse(ignored -> new MockResponse.Builder()
                    .setHeader("Content-Type", "application/json")
                    .body(new JWKSet(key.toPublicJWK()).toString()).build());
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("ed-1").type(JOSEObjectType.JWT).build(),
                    new JWTClaimsSet.Builder().issuer(server.url()).audience("aud").subject("s")
                            .expirationTime(Date.from(clock.instant().plusSeconds(60))).build());
            jwt.sign(new Ed25519Signer(key));

            assertThat(verifier(server.url(), "aud").verify(jwt.serialize()).subject()).isEqualTo("s");
        }
    }

    private TokenVerifier verifier(String issuer, String audience) {
        JwksCache cache = new JwksCache(HttpClients.create(HttpSettings.DEFAULT), JwksCache.Settings.DEFAULT, clock);
        return TokenVerifier.builder(issuer, audience, cache).clock(clock).build();
    }
}
