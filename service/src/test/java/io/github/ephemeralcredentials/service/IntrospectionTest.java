package io.github.ephemeralcredentials.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.service.config.ServiceConfigReader;
import io.github.ephemeralcredentials.service.state.MemoryState;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's own JWTs after they left it: a relying party introspects them (RFC 7662) with its client secret,
 * learns only about tokens issued for it, and sees a revoked one inactive before its {@code exp}.
 */
class IntrospectionTest {

    private static final String CLIENT_SECRET = "canary-introspection-secret-5e1d";
    private static final String API = "https://api.internal.example";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private IssuerServer ci;
    private TokenExchangeService service;
    private final ByteArrayOutputStream audit = new ByteArrayOutputStream();
    private final OkHttpClient http = new OkHttpClient();
    private String url;

    @BeforeEach
    void start() throws Exception {
        ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
        int port = LoopbackPort.free();
        url = "http://127.0.0.1:" + port;
        Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                profiles:
                  internal-api:
                    provider: jwt
                    maxLifetime: 5m
                    parameters: {audience: %s}
                  other-api:
                    provider: jwt
                    maxLifetime: 5m
                    parameters: {audience: https://other.internal.example}
                rules:
                  - {name: acme, issuer: "%s", profiles: [internal-api, other-api], claims: {repository: acme/app}}
                """.formatted(API, ci.url()));
        Path config = ServiceFiles.config(dir, "service.yaml", port, url, ci.url(), """
                secrets:
                  API_INTROSPECTION: {env: API_INTROSPECTION}
                introspection:
                  internal-api: {secret: API_INTROSPECTION, audience: %s}""".formatted(API));
        service = TokenExchangeService.start(ServiceConfigReader.read(config), new MemoryState(Clock.systemUTC()),
                Map.of("API_INTROSPECTION", CLIENT_SECRET + "\n")::get, audit, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        service.close();
        ci.close();
    }

    private String issued(String profile) throws Exception {
        String ciToken = ci.issuer().mint("repo:acme/app:ref:refs/heads/main", List.of(url), Duration.ofMinutes(5),
                Map.of("repository", "acme/app"));
        JsonNode answer = post("/token", Map.of("grant_type", TokenEndpoint.GRANT_TYPE, "subject_token", ciToken,
                "subject_token_type", "urn:ietf:params:oauth:token-type:jwt", "audience", profile), null);
        assertThat(answer.path("access_token").asText()).as(answer.toString()).isNotEmpty();
        return answer.path("access_token").asText();
    }

    private JsonNode post(String path, Map<String, String> fields, String authorization) throws Exception {
        FormBody.Builder form = new FormBody.Builder();
        fields.forEach(form::add);
        Request.Builder request = new Request.Builder().url(url + path).post(form.build());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            JsonNode body = JSON.readTree(response.body().string());
            ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("_status", response.code());
            if (response.header("WWW-Authenticate") != null) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) body).put("_challenge",
                        response.header("WWW-Authenticate"));
            }
            return body;
        }
    }

    private JsonNode introspect(String token) throws Exception {
        return post("/introspect", Map.of("token", token), Credentials.basic("internal-api", CLIENT_SECRET));
    }

    @Test
    void anIssuedJwtIsActiveUntilRevokedThenInactiveAndTheRevocationIsAudited() throws Exception {
        String jwt = issued("internal-api");

        JsonNode active = introspect(jwt);
        assertThat(active.path("_status").asInt()).isEqualTo(200);
        assertThat(active.path("active").asBoolean()).isTrue();
        assertThat(active.path("sub").asText()).isEqualTo("repo:acme/app:ref:refs/heads/main");
        assertThat(active.path("iss").asText()).isEqualTo(url);
        assertThat(active.path("jti").asText()).isNotEmpty();

        assertThat(post("/revoke", Map.of("token", jwt), null).path("_status").asInt()).isEqualTo(200);

        JsonNode revoked = introspect(jwt);
        assertThat(revoked.path("active").asBoolean()).isFalse();
        assertThat(revoked.size()).as("an inactive token gets nothing but active=false: " + revoked).isEqualTo(2);
        String trail = audit.toString(StandardCharsets.UTF_8);
        assertThat(trail.lines().filter(l -> l.contains("\"REVOKED\"")).toList()).singleElement()
                .satisfies(line -> assertThat(line).contains("\"provider\":\"jwt\"")
                        .contains(active.path("jti").asText()));
        assertThat(trail).doesNotContain(jwt).doesNotContain(CLIENT_SECRET);
    }

    @Test
    void aClientLearnsNothingOfTokensForAnotherAudienceOrNotSignedByTheService() throws Exception {
        assertThat(introspect(issued("other-api")).path("active").asBoolean()).isFalse();

        TokenIssuer forger = new TokenIssuer(url, () -> KeyRing.generate(SigningAlgorithm.ES256, Instant.now()),
                Clock.systemUTC());
        String forged = forger.mint("repo:acme/app:ref:refs/heads/main", List.of(API), Duration.ofMinutes(5), Map.of());
        assertThat(introspect(forged).path("active").asBoolean()).as("same iss, foreign key").isFalse();
        assertThat(introspect("not-a-jwt").path("active").asBoolean()).isFalse();
        String ciToken = ci.issuer().mint("x", List.of(API), Duration.ofMinutes(5), Map.of());
        assertThat(introspect(ciToken).path("active").asBoolean()).as("another issuer's token").isFalse();
    }

    @Test
    void introspectionWithoutTheClientsSecretIsRefusedWithABasicChallenge() throws Exception {
        String jwt = issued("internal-api");
        for (String authorization : new String[] {null, Credentials.basic("internal-api", "wrong"),
                Credentials.basic("nobody", CLIENT_SECRET), "Bearer " + jwt, "Basic %%%"}) {
            JsonNode refused = post("/introspect", Map.of("token", jwt), authorization);
            assertThat(refused.path("_status").asInt()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(refused.path("error").asText()).isEqualTo("invalid_client");
            assertThat(refused.path("_challenge").asText()).startsWith("Basic realm=");
            assertThat(refused.toString()).doesNotContain(jwt).doesNotContain(CLIENT_SECRET);
        }
        assertThat(post("/introspect", Map.of(), Credentials.basic("internal-api", CLIENT_SECRET)).path("_status")
                .asInt()).isEqualTo(400);
    }

    @Test
    void aStoppedServiceLeavesNoPrivateDirectoryBehind() {
        java.nio.file.Path files = service.privateDirectory();
        assertThat(files).isDirectory();
        service.close();
        assertThat(files).doesNotExist();
    }

    @Test
    void theConfigurationRefusesAClientWhoseSecretIsNotDeclared() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.yaml"), """
                url: https://exchange.example.com
                trust: [https://token.actions.githubusercontent.com]
                policy: policy.yaml
                introspection:
                  internal-api: {secret: UNDECLARED, audience: %s}
                """.formatted(API));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ServiceConfigReader.read(config))
                .hasMessageContaining("bad.yaml:5:").hasMessageContaining("must name an entry of 'secrets'");
    }
}
