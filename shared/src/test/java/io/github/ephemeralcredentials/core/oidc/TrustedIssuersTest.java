package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Verification against an allow-list of issuers, each with its own discovery document and JWKS on loopback. */
class TrustedIssuersTest {

    private static final String AUDIENCE = "https://exchange.example.com";
    private static final Map<String, Object> CLAIMS = Map.of("repository", "acme/app");

    private IssuerServer trusted;
    private IssuerServer stranger;
    private TrustedIssuers issuers;

    @BeforeEach
    void start() throws Exception {
        trusted = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
        stranger = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
        issuers = new TrustedIssuers(List.of(trusted.url()), new JwksCache(new OkHttpClient(),
                JwksCache.Settings.DEFAULT, Clock.systemUTC()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        trusted.close();
        stranger.close();
    }

    private static String mint(TokenIssuer issuer, String audience) {
        return issuer.mint("repo:acme/app:ref:refs/heads/main", List.of(audience), Duration.ofMinutes(5), CLAIMS);
    }

    @Test
    void aTokenOfATrustedIssuerComesBackAsVerifiedClaims() {
        VerifiedClaims claims = issuers.verify(mint(trusted.issuer(), AUDIENCE), AUDIENCE);

        assertThat(claims.verified()).isTrue();
        assertThat(claims.string("repository")).contains("acme/app");
        assertThat(claims.provenance()).contains(trusted.url());
    }

    @Test
    void aTokenSignedByAnotherKeyInTheTrustedIssuersNameIsRefused() {
        TokenIssuer forger = new TokenIssuer(trusted.url(),
                () -> KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());

        assertThatThrownBy(() -> issuers.verify(mint(forger, AUDIENCE), AUDIENCE))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason())
                        .isIn(OidcException.Reason.UNKNOWN_KEY, OidcException.Reason.BAD_SIGNATURE));
    }

    @Test
    void aTokenOfAnIssuerNobodyListedIsRefusedWithoutFetchingFromIt() {
        assertThatThrownBy(() -> issuers.verify(mint(stranger.issuer(), AUDIENCE), AUDIENCE))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason())
                        .isEqualTo(OidcException.Reason.BAD_ISSUER))
                .hasMessageContaining("--issuer");
        assertThat(stranger.discoveryFetches() + stranger.jwksFetches()).isZero();
    }

    @Test
    void fromTheCacheATokenIsVerifiedOnlyOnceItsIssuersKeysAreCachedAndNothingIsFetchedForIt() {
        String token = mint(trusted.issuer(), AUDIENCE);

        assertThat(issuers.verifyFromCache(token, AUDIENCE)).isEmpty();
        assertThat(trusted.discoveryFetches() + trusted.jwksFetches()).isZero();

        issuers.verify(mint(trusted.issuer(), AUDIENCE), AUDIENCE);
        int fetches = trusted.discoveryFetches() + trusted.jwksFetches();
        assertThat(issuers.verifyFromCache(token, AUDIENCE)).hasValueSatisfying(claims -> {
            assertThat(claims.verified()).isTrue();
            assertThat(claims.string("repository")).contains("acme/app");
        });
        assertThat(trusted.discoveryFetches() + trusted.jwksFetches()).isEqualTo(fetches);
    }

    @Test
    void fromTheCacheAnUnknownKeyIsLeftToAThreadThatMayFetchUnlessARefetchIsHeldBack() {
        MutableClock clock = new MutableClock(Instant.now());
        TrustedIssuers atClock = new TrustedIssuers(List.of(trusted.url()), new JwksCache(new OkHttpClient(),
                JwksCache.Settings.DEFAULT, clock), clock);
        atClock.verify(mint(trusted.issuer(), AUDIENCE), AUDIENCE);

        // Just fetched: a rotated key's kid is refused at once, as verify would, without a second fetch.
        trusted.keys(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()));
        String rotated = mint(trusted.issuer(), AUDIENCE);
        assertThatThrownBy(() -> atClock.verifyFromCache(rotated, AUDIENCE))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason())
                        .isEqualTo(OidcException.Reason.UNKNOWN_KEY));
        // Once a refetch is allowed again, the token is left to a thread that may fetch, and nothing is fetched here.
        clock.advance(JwksCache.Settings.DEFAULT.unknownKeyRefetchInterval().plusSeconds(1));
        int before = trusted.jwksFetches();
        assertThat(atClock.verifyFromCache(rotated, AUDIENCE)).isEmpty();
        assertThat(trusted.jwksFetches()).isEqualTo(before);
        assertThat(atClock.verify(rotated, AUDIENCE).verified()).isTrue();
    }

    @Test
    void fromTheCacheTheSameRefusalsComeBeforeAnyKeyIsNeeded() {
        assertThatThrownBy(() -> issuers.verifyFromCache(mint(stranger.issuer(), AUDIENCE), AUDIENCE))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason())
                        .isEqualTo(OidcException.Reason.BAD_ISSUER));
        issuers.verify(mint(trusted.issuer(), AUDIENCE), AUDIENCE);
        assertThatThrownBy(() -> issuers.verifyFromCache(mint(trusted.issuer(), "https://elsewhere.example.com"),
                AUDIENCE)).isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason())
                .isEqualTo(OidcException.Reason.BAD_AUDIENCE));
        assertThat(stranger.discoveryFetches() + stranger.jwksFetches()).isZero();
    }

    @Test
    void anotherAudienceIsRefused() {
        assertThatThrownBy(() -> issuers.verify(mint(trusted.issuer(), "https://elsewhere.example.com"), AUDIENCE))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason())
                        .isEqualTo(OidcException.Reason.BAD_AUDIENCE));
    }

    @Test
    void anIssuerClaimWithBidiAndLineControlsIsShownEscapedNeverAsIs() {
        String hostile = "https://evil.example\u202e\u2028moc.buhtig//:sptth";
        TokenIssuer forger = new TokenIssuer("https://placeholder.example",
                () -> KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
        String token = forger.mint("x", List.of(AUDIENCE), Duration.ofMinutes(5), Map.of());
        // Re-issue the same claims under the hostile iss: the payload is what the message quotes.
        String[] parts = token.split("\\.");
        String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"iss\":\""
                + hostile.replace("\u202e", "\\u202e").replace("\u2028", "\\u2028") + "\",\"aud\":\"" + AUDIENCE
                + "\",\"exp\":" + Instant.now().plusSeconds(300).getEpochSecond() + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(() -> issuers.verify(parts[0] + "." + payload + "." + parts[2], AUDIENCE))
                .isInstanceOf(OidcException.class)
                .hasMessageContaining("\\u202E").hasMessageContaining("\\u2028")
                .hasMessageNotContaining("\u202e").hasMessageNotContaining("\u2028");
    }

    @Test
    void anUnusableIssuerUrlOrNoneAtAllIsRefusedWhenConfigured() {
        JwksCache jwks = new JwksCache(new OkHttpClient(), JwksCache.Settings.DEFAULT, Clock.systemUTC());
        assertThatThrownBy(() -> new TrustedIssuers(List.of(), jwks, Clock.systemUTC()))
                .hasMessageContaining("no trusted issuer");
        assertThatThrownBy(() -> new TrustedIssuers(List.of("http://gitlab.example.com"), jwks, Clock.systemUTC()))
                .hasMessageContaining("https");
    }

    @Test
    void decodedClaimsSayTheyAreNotVerified() {
        UnverifiedClaims decoded = UnverifiedClaims.decode(mint(trusted.issuer(), AUDIENCE));
        assertThat(decoded.verified()).isFalse();
        assertThat(decoded.provenance()).contains("not verified");
        assertThatThrownBy(() -> UnverifiedClaims.decode("x".repeat(TokenVerifier.MAX_TOKEN_CHARS + 1)))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason())
                        .isEqualTo(OidcException.Reason.TOO_LARGE));
    }
}
