package io.github.ephemeralcredentials.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.service.config.ServiceConfigReader;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okhttp3.ConnectionPool;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exchanges that wait on nothing are answered on the selector thread that read them; the rest are handed to the pool,
 * so one that hangs on a peer never stalls the other connections of its selector.
 */
class WaitingExchangeTest {

    @TempDir
    Path dir;

    private IssuerServer fast;
    private IssuerServer slow;
    private final CountDownLatch slowJwks = new CountDownLatch(1);
    private TokenExchangeService service;
    private String url;
    /** A new connection per request, so requests land on every selector of the server. */
    private final OkHttpClient http = new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
            .readTimeout(Duration.ofSeconds(20))
            .build();

    @BeforeEach
    void start() throws Exception {
        fast = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
        slow = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
        slow.jwksResponse(jwks -> {
            try {
                slowJwks.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(jwks).build();
        });
        int port = LoopbackPort.free();
        url = "http://127.0.0.1:" + port;
        Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                profiles:
                  internal-api:
                    provider: jwt
                    maxLifetime: 5m
                    parameters: {audience: https://api.internal.example, claims: [repository]}
                rules:
                  - name: fast
                    issuer: %s
                    profiles: [internal-api]
                    claims: {repository: acme/app}
                  - name: slow
                    issuer: %s
                    profiles: [internal-api]
                    claims: {repository: acme/app}
                """.formatted(fast.url(), slow.url()));
        Path config = Files.writeString(dir.resolve("service.yaml"), """
                listen: 127.0.0.1:%d
                url: %s
                trust: [%s, %s]
                policy: policy.yaml
                """.formatted(port, url, fast.url(), slow.url()));
        service = TokenExchangeService.start(ServiceConfigReader.read(config), new CountingState(), name -> null,
                new ByteArrayOutputStream(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        slowJwks.countDown();
        service.close();
        fast.close();
        slow.close();
    }

    private Response exchange(IssuerServer issuer) throws Exception {
        String token = issuer.issuer().mint("repo:acme/app:ref:refs/heads/main", List.of(url), Duration.ofMinutes(5),
                Map.of("repository", "acme/app"));
        FormBody form = new FormBody.Builder().add("grant_type", TokenEndpoint.GRANT_TYPE)
                .add("subject_token", token).add("subject_token_type", "urn:ietf:params:oauth:token-type:jwt")
                .add("audience", "internal-api").build();
        return http.newCall(new Request.Builder().url(url + "/token").post(form).build()).execute();
    }

    private double onPool() throws Exception {
        try (Response response = http.newCall(new Request.Builder().url(url + "/metrics").build()).execute()) {
            return response.body().string().lines().filter(l -> l.startsWith("ec_exchanges_on_pool_total "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
        }
    }

    @Test
    void anExchangeWhoseIssuerKeysAreCachedIsAnsweredWithoutThePoolAndTheFirstOneIsNot() throws Exception {
        try (Response first = exchange(fast)) {
            assertThat(first.code()).isEqualTo(200);
        }
        assertThat(onPool()).as("the first token's issuer keys had to be fetched").isEqualTo(1.0);

        for (int i = 0; i < 5; i++) {
            try (Response next = exchange(fast)) {
                assertThat(next.code()).isEqualTo(200);
            }
        }
        assertThat(onPool()).as("cached keys, an in-process store and the jwt provider wait on nothing")
                .isEqualTo(1.0);
    }

    @Test
    void anExchangeHangingOnItsIssuersJwksStallsNoOtherExchange() throws Exception {
        try (Response warm = exchange(fast)) {
            assertThat(warm.code()).isEqualTo(200);
        }
        CompletableFuture<Integer> hanging = CompletableFuture.supplyAsync(() -> {
            try (Response response = exchange(slow)) {
                return response.code();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (slow.jwksFetches() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(slow.jwksFetches()).as("the slow issuer's JWKS was asked for").isEqualTo(1);

        // Eight new connections reach every selector, the hanging request's too.
        for (int i = 0; i < 8; i++) {
            try (Response other = exchange(fast)) {
                assertThat(other.code()).isEqualTo(200);
            }
        }
        assertThat(hanging).as("still waiting for its issuer's keys").isNotDone();

        slowJwks.countDown();
        assertThat(hanging.get(20, TimeUnit.SECONDS)).isEqualTo(200);
    }
}
