package io.github.ephemeralcredentials.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.service.config.ServiceConfigReader;
import io.github.ephemeralcredentials.service.state.RedisServer;
import io.github.ephemeralcredentials.service.state.SharedStates;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas behind one URL share a real redis-server: a token used at one is refused at the other. */
class ReplicasTest {

    @TempDir
    Path dir;

    private final OkHttpClient http = new OkHttpClient();


    private Response exchange(int port, String token) throws Exception {
        return ServiceFiles.exchange(http, "http://127.0.0.1:" + port, token);
    }

    /** Two replicas behind {@code url} on one Redis, with {@code extra} configuration each. */
    private TokenExchangeService[] replicas(RedisServer redis, IssuerServer ci, String url, int a, int b, String extra,
                                           java.util.function.Function<String, String> env) throws Exception {
        ServiceFiles.jwtPolicy(dir, ci.url());
        TokenExchangeService[] both = new TokenExchangeService[2];
        int[] ports = {a, b};
        for (int i = 0; i < 2; i++) {
            Path config = ServiceFiles.config(dir, "replica-" + i + ".yaml", ports[i], url, ci.url(),
                    "store: " + redis.uri() + "\n" + extra);
            both[i] = TokenExchangeService.start(ServiceConfigReader.read(config),
                    SharedStates.open(redis.uri(), Clock.systemUTC()), env, OutputStream.nullOutputStream(),
                    Clock.systemUTC());
        }
        return both;
    }

    @Test
    void aTokenReplayedAtTheSecondReplicaIsRefusedAndAStoppedStoreFailsClosed() throws Exception {
        try (RedisServer redis = RedisServer.start();
             IssuerServer ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC())) {
            String url = "https://exchange.example.com";
            int a = LoopbackPort.free();
            int b = LoopbackPort.free();
            TokenExchangeService[] replicas = replicas(redis, ci, url, a, b, "", n -> null);
            try (TokenExchangeService first = replicas[0]; TokenExchangeService second = replicas[1]) {
                String token = ServiceFiles.token(ci, url, "acme/app");
                try (Response atA = exchange(a, token); Response atB = exchange(b, token)) {
                    assertThat(atA.code()).isEqualTo(200);
                    assertThat(atB.code()).isEqualTo(400);
                    assertThat(new ObjectMapper().readTree(atB.body().string()).path("error_description").asText())
                            .contains("already exchanged");
                }

                redis.stop();
                String fresh = ServiceFiles.token(ci, url, "acme/app");
                try (Response down = exchange(b, fresh);
                     Response health = http.newCall(new Request.Builder().url("http://127.0.0.1:" + b + "/healthz")
                             .build()).execute();
                     Response ready = http.newCall(new Request.Builder().url("http://127.0.0.1:" + b + "/readyz")
                             .build()).execute()) {
                    assertThat(down.code()).isEqualTo(503);
                    assertThat(down.body().string()).contains("temporarily_unavailable").contains("replays");
                    assertThat(health.code()).as("the process still answers").isEqualTo(200);
                    assertThat(ready.code()).isEqualTo(503);
                }

                redis.restart();
                // A load balancer's readiness probe brings the replica back once the store answers again.
                Instant deadline = Instant.now().plusSeconds(10);
                int readiness = 0;
                while (readiness != 200 && Instant.now().isBefore(deadline)) {
                    try (Response ready = http.newCall(new Request.Builder().url("http://127.0.0.1:" + a + "/readyz")
                            .build()).execute()) {
                        readiness = ready.code();
                    }
                }
                assertThat(readiness).isEqualTo(200);
                try (Response back = exchange(a, fresh)) {
                    assertThat(back.code()).as("the token was never used while the store was down").isEqualTo(200);
                }
            }
        }
    }

    @Test
    void aJwtRevokedAtOneReplicaIsInactiveAtTheOther() throws Exception {
        try (RedisServer redis = RedisServer.start();
             IssuerServer ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC())) {
            String url = "https://exchange.example.com";
            // Replicas behind one URL share their signing keys, as relying parties fetch one JWKS.
            Files.writeString(dir.resolve("keys.json"), KeyRing.generate(SigningAlgorithm.ES256, Instant.now())
                    .toSecretJson());
            int a = LoopbackPort.free();
            int b = LoopbackPort.free();
            TokenExchangeService[] replicas = replicas(redis, ci, url, a, b, """
                    signing-keys: keys.json
                    secrets: {API: {env: API}}
                    introspection: {api: {secret: API, audience: https://api.internal.example}}""",
                    Map.of("API", "s3cret")::get);
            try (TokenExchangeService first = replicas[0]; TokenExchangeService second = replicas[1]) {
                String token = ServiceFiles.token(ci, url, "acme/app");
                String jwt;
                try (Response issued = exchange(a, token)) {
                    jwt = new ObjectMapper().readTree(issued.body().string()).path("access_token").asText();
                }
                assertThat(introspect(b, jwt)).contains("\"active\":true");
                try (Response revoked = http.newCall(new Request.Builder().url("http://127.0.0.1:" + a + "/revoke")
                        .post(new FormBody.Builder().add("token", jwt).build()).build()).execute()) {
                    assertThat(revoked.code()).isEqualTo(200);
                }
                assertThat(introspect(b, jwt)).isEqualTo("{\"active\":false}");
                assertThat(introspect(a, jwt)).isEqualTo("{\"active\":false}");
            }
        }
    }

    private String introspect(int port, String jwt) throws Exception {
        try (Response response = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/introspect")
                .header("Authorization", okhttp3.Credentials.basic("api", "s3cret"))
                .post(new FormBody.Builder().add("token", jwt).build()).build()).execute()) {
            return response.body().string();
        }
    }
}
