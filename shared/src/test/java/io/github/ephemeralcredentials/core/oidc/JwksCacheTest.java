package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwksCacheTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private IssuerServer server;
    private JwksCache cache;

    @BeforeEach
    void start() throws Exception {
        server = new IssuerServer(KeyRing.generate(SigningAlgorithm.RS256, clock.instant()), clock);
        cache = new JwksCache(HttpClients.create(HttpSettings.DEFAULT), JwksCache.Settings.DEFAULT, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String kid() {
        return server.keys().active().kid();
    }

    @Test
    void freshnessComesFromCacheControlWithinBounds() {
        server.cacheControl("max-age=3600");
        cache.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        clock.advance(Duration.ofMinutes(59));
        cache.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        assertThat(server.jwksFetches()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        cache.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        assertThat(server.jwksFetches()).isEqualTo(2);
    }

    @Test
    void aTinyMaxAgeIsRaisedToFiveMinutes() {
        server.cacheControl("max-age=5");
        cache.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        clock.advance(Duration.ofMinutes(4));
        cache.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        assertThat(server.jwksFetches()).isEqualTo(1);
    }

    @Test
    void aHugeMaxAgeIsCappedAtADay() {
        server.cacheControl("max-age=31536000");
        cache.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        cache.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        assertThat(server.jwksFetches()).isEqualTo(2);
    }

    @Test
    void unknownKidsRefetchAtMostOncePer30Seconds() {
        cache.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        for (int i = 0; i < 50; i++) {
            assertThat(cache.candidates(server.url(), "forged-" + i, JWSAlgorithm.RS256)).isEmpty();
        }
        assertThat(server.jwksFetches()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(30));
        cache.candidates(server.url(), "forged-again", JWSAlgorithm.RS256);
        cache.candidates(server.url(), "forged-and-again", JWSAlgorithm.RS256);
        assertThat(server.jwksFetches()).isEqualTo(2);
    }

    @Test
    void aNewlyRotatedKeyIsPickedUpByItsKid() {
        cache.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        clock.advance(Duration.ofSeconds(31));
        server.keys(server.keys().rotate(SigningAlgorithm.RS256, clock.instant(), Duration.ofMinutes(10)));
        assertThat(cache.candidates(server.url(), kid(), JWSAlgorithm.RS256)).hasSize(1);
    }

    @Test
    void cachedKeysKeepVerifyingWhileTheEndpointIsDownWithinTheGrace() {
        cache.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        server.jwksResponse(jwks -> new MockResponse.Builder().code(503).build());
        clock.advance(Duration.ofHours(2));

        assertThat(cache.candidates(server.url(), kid(), JWSAlgorithm.RS256)).hasSize(1);
        int fetchesDuringOutage = server.jwksFetches();
        assertThat(cache.candidates(server.url(), kid(), JWSAlgorithm.RS256)).hasSize(1);
        assertThat(server.jwksFetches()).as("an outage is not hammered").isEqualTo(fetchesDuringOutage);

        clock.advance(Duration.ofHours(23));
        assertThatThrownBy(() -> cache.candidates(server.url(), kid(), JWSAlgorithm.RS256))
                .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason()).isEqualTo(OidcException.Reason.JWKS_UNAVAILABLE));
    }

    @Test
    void graceIsConfigurable() {
        JwksCache strict = new JwksCache(HttpClients.create(HttpSettings.DEFAULT),
                JwksCache.Settings.DEFAULT.withStaleGrace(Duration.ofMinutes(10)), clock);
        strict.candidates(server.url(), kid(), JWSAlgorithm.RS256);
        server.jwksResponse(jwks -> new MockResponse.Builder().code(503).build());
        clock.advance(Duration.ofMinutes(11));
        assertThatThrownBy(() -> strict.candidates(server.url(), kid(), JWSAlgorithm.RS256)).isInstanceOf(OidcException.class);
    }

    @Test
    void concurrentVerificationsShareOneFetch() throws Exception {
        server.jwksResponse(jwks -> new MockResponse.Builder().setHeader("Content-Type", "application/json")
                .body(jwks).headersDelay(300, TimeUnit.MILLISECONDS).build());
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return cache.candidates(server.url(), kid(), JWSAlgorithm.RS256).size();
                }));
            }
            go.countDown();
            for (Future<Integer> r : results) {
                assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.discoveryFetches()).isEqualTo(1);
        assertThat(server.jwksFetches()).isEqualTo(1);
    }

    @Test
    void discoveryDocumentNamingAnotherIssuerIsRefused() throws Exception {
        try (IssuerServer other = new IssuerServer(KeyRing.generate(SigningAlgorithm.RS256, clock.instant()), clock)) {
            // Asking for the issuer with a trailing slash gets a document naming it without: not the same issuer.
            assertThatThrownBy(() -> cache.candidates(other.url() + "/", "k", JWSAlgorithm.RS256))
                    .isInstanceOfSatisfying(OidcException.class, e -> assertThat(e.reason()).isEqualTo(OidcException.Reason.JWKS_INVALID));
        }
    }
}
