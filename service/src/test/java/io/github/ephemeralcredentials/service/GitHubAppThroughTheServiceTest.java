package io.github.ephemeralcredentials.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.provider.github.FakeGitHub;
import io.github.ephemeralcredentials.service.config.ServiceConfigReader;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockWebServer;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reason the service exists: a GitHub App installation token, scoped to the policy's repositories and
 * permissions, for a job that never holds the App's key. The key comes from the service's own secret file; GitHub is
 * the OpenAPI-checked fake.
 */
class GitHubAppThroughTheServiceTest {

    @TempDir
    Path dir;

    @Test
    void aVerifiedJobGetsAScopedInstallationTokenAndTheKeyNeverLeavesTheService() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair app = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(app.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Path keyFile = Files.writeString(dir.resolve("app.pem"), pem);
        FakeGitHub github = new FakeGitHub(424242, (RSAPublicKey) app.getPublic());
        github.installations.put("acme", new FakeGitHub.Installation(7001, "acme", Map.of("contents", "write",
                "metadata", "read"), false, Set.of("app", "infra")));
        ByteArrayOutputStream audit = new ByteArrayOutputStream();
        try (IssuerServer ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
             MockWebServer api = new MockWebServer()) {
            api.setDispatcher(github);
            api.start(InetAddress.getLoopbackAddress(), 0);
            int port = LoopbackPort.free();
            String url = "http://127.0.0.1:" + port;
            Files.writeString(dir.resolve("policy.yaml"), """
                    version: 1
                    profiles:
                      read-app:
                        provider: github-app
                        maxLifetime: 10m
                        parameters: {app-id: "424242", private-key-env: GITHUB_APP_KEY, owner: acme, api-url: "%s"}
                        scope: {repositories: [app], permissions: {contents: read}}
                    rules:
                      - name: app-main
                        issuer: %s
                        profiles: [read-app]
                        claims: {repository: acme/app, ref: refs/heads/main}
                    """.formatted(api.url("/api/v3").toString().replaceAll("/$", ""), ci.url()));
            Path config = Files.writeString(dir.resolve("service.yaml"), """
                    listen: 127.0.0.1:%d
                    url: %s
                    trust: [%s]
                    policy: policy.yaml
                    secrets:
                      GITHUB_APP_KEY: {file: app.pem}
                    """.formatted(port, url, ci.url()));
            // A second replica on the same shared state, as behind a load balancer.
            int otherPort = LoopbackPort.free();
            Path otherConfig = Files.writeString(dir.resolve("other.yaml"), Files.readString(config)
                    .replace("127.0.0.1:" + port, "127.0.0.1:" + otherPort));
            CountingState shared = new CountingState();
            try (TokenExchangeService service = TokenExchangeService.start(ServiceConfigReader.read(config),
                    shared, name -> null, audit, Clock.systemUTC());
                 TokenExchangeService other = TokenExchangeService.start(ServiceConfigReader.read(otherConfig),
                         shared, name -> null, audit, Clock.systemUTC())) {
                String token = ci.issuer().mint("repo:acme/app:ref:refs/heads/main", List.of(url),
                        Duration.ofMinutes(5), Map.of("repository", "acme/app", "ref", "refs/heads/main"));
                FormBody form = new FormBody.Builder().add("grant_type", TokenEndpoint.GRANT_TYPE)
                        .add("subject_token", token).add("subject_token_type", "urn:ietf:params:oauth:token-type:id_token")
                        .add("audience", "read-app").build();
                JsonNode answer;
                try (Response response = new OkHttpClient().newCall(new Request.Builder().url(url + "/token")
                        .post(form).build()).execute()) {
                    String body = response.body().string();
                    assertThat(response.code()).as(body).isEqualTo(200);
                    answer = new ObjectMapper().readTree(body);
                }
                String issued = answer.path("access_token").asText();
                assertThat(issued).isNotBlank();
                assertThat(answer.path("credential").path("provider").asText()).isEqualTo("github-app");
                assertThat(audit.toString(StandardCharsets.UTF_8)).contains("\"outcome\":\"ISSUED\"")
                        .doesNotContain(issued);
                assertThat(answer.path("credential").path("facts").path("permissions").asText()).isEqualTo("contents:read");
                assertThat(github.violations).isEmpty();
                String everything = answer + audit.toString(StandardCharsets.UTF_8);
                assertThat(everything).doesNotContain("PRIVATE KEY").doesNotContain(pem.substring(40, 100))
                        .doesNotContain(token);

                // What is kept for revocation is sealed: the store holds neither the token nor what it is for.
                assertThat(shared.kept).hasSize(1);
                assertThat(String.join("\n", shared.kept.values())).doesNotContain(issued).doesNotContain("github-app")
                        .doesNotContain("7001");
                assertThat(github.live(issued)).isTrue();
                try (Response revoked = new OkHttpClient().newCall(new Request.Builder().url(other.uri() + "/revoke")
                        .post(new FormBody.Builder().add("token", issued).build()).build()).execute()) {
                    assertThat(revoked.code()).isEqualTo(200);
                }
                assertThat(github.live(issued)).as("revoked at GitHub through the other replica").isFalse();
                assertThat(shared.kept).isEmpty();

                // A credential no replica could revoke is not handed out: it is taken back at once.
                shared.keepFails = true;
                String fresh = ci.issuer().mint("repo:acme/app:ref:refs/heads/main", List.of(url),
                        Duration.ofMinutes(5), Map.of("repository", "acme/app", "ref", "refs/heads/main"));
                FormBody again = new FormBody.Builder().add("grant_type", TokenEndpoint.GRANT_TYPE)
                        .add("subject_token", fresh).add("subject_token_type", "urn:ietf:params:oauth:token-type:id_token")
                        .add("audience", "read-app").build();
                try (Response response = new OkHttpClient().newCall(new Request.Builder().url(url + "/token")
                        .post(again).build()).execute()) {
                    String body = response.body().string();
                    assertThat(response.code()).as(body).isEqualTo(503);
                    assertThat(body).contains("it was revoked and nothing was issued").doesNotContain("ghs_");
                }
                assertThat(github.liveCount()).as("the installation token was revoked at GitHub").isZero();
                assertThat(audit.toString(StandardCharsets.UTF_8)).contains("\"outcome\":\"REVOKED\"")
                        .doesNotContain(issued);
            }
        }
    }
}
