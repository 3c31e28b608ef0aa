package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTParser;
import io.github.ephemeralcredentials.action.ActionException.Reason;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdTokenClientTest {

    @TempDir
    Path dir;

    private RunnerEmulation runner;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final WorkflowCommands commands = new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    private final OkHttpClient http = HttpClients.create(HttpSettings.DEFAULT);

    @BeforeEach
    void start() throws IOException {
        runner = new RunnerEmulation(dir);
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    private IdTokenClient client(Map<String, String> env, OkHttpClient http, int attempts) {
        return IdTokenClient.fromEnvironment(env, http, Retries.immediate(attempts), commands);
    }

    private IdTokenClient client() {
        return client(runner.environment(Map.of(), true), http, 3);
    }

    @Test
    void callsTheEndpointAsActionsCoreDoesAndMasksTheTokenAtOnce() throws Exception {
        String token = client().fetch("sts.amazonaws.com");

        RecordedRequest request = runner.tokenRequests().get(0);
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getTarget()).isEqualTo(RunnerEmulation.TOKEN_PATH + "?api-version=2.0&audience=sts.amazonaws.com");
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + runner.requestToken());
        assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(JWTParser.parse(token).getJWTClaimsSet().getAudience()).containsExactly("sts.amazonaws.com");
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo("::add-mask::" + token + "\n");
    }

    @Test
    void encodesTheAudienceSoTheRunnerDecodesItExactly() throws Exception {
        String audience = "api://AzureADTokenExchange?x=1&y=a b+c#d";
        String token = client().fetch(audience);

        HttpUrl seen = runner.tokenRequests().get(0).getUrl();
        assertThat(seen.queryParameter("audience")).isEqualTo(audience);
        assertThat(seen.queryParameter("api-version")).isEqualTo("2.0");
        String rawAudience = seen.encodedQuery().substring(seen.encodedQuery().indexOf("audience=") + 9);
        assertThat(rawAudience).doesNotContain("&", "=", "+", " ", "#", "?", "/", ":");
        assertThat(JWTParser.parse(token).getJWTClaimsSet().getAudience()).containsExactly(audience);
    }

    @Test
    void usesAQuestionMarkWhenTheUrlHasNoQueryAndOmitsTheAudienceWhenNoneIsAsked() {
        Map<String, String> env = new HashMap<>(runner.environment(Map.of(), true));
        String bare = env.get(IdTokenClient.URL_VARIABLE).replace("?api-version=2.0", "");
        env.put(IdTokenClient.URL_VARIABLE, bare);
        IdTokenClient client = client(env, http, 1);
        assertThat(client.url("aud").toString()).isEqualTo(bare + "?audience=aud");
        assertThat(client.url(null).toString()).isEqualTo(bare);
        assertThat(client().url(null).toString()).isEqualTo(runner.tokenUrl());
    }

    @Test
    void theDefaultAudienceIsTheOwnersGithubUrl() throws Exception {
        String token = client().fetch(null);
        assertThat(JWTParser.parse(token).getJWTClaimsSet().getAudience()).containsExactly("https://github.com/octo-org");
    }

    @Test
    void withoutThePermissionTheMessageSaysWhatToAdd() {
        assertThatThrownBy(() -> client(runner.environment(Map.of(), false), http, 1))
                .isInstanceOf(ActionException.class)
                .satisfies(e -> assertThat(((ActionException) e).reason()).isEqualTo(Reason.MISSING_ID_TOKEN_PERMISSION))
                .hasMessageContaining("add `permissions: id-token: write` to the job");
    }

    @Test
    void retriesServerErrorsAndSucceeds() {
        runner.failNext(2, 503);
        String token = client().fetch("aud");
        assertThat(token).isNotBlank();
        assertThat(runner.tokenRequests()).hasSize(3);
    }

    @Test
    void givesUpAfterABoundedNumberOfServerErrors() {
        runner.failNext(100, 500);
        assertThatThrownBy(() -> client().fetch("aud"))
                .isInstanceOf(ActionException.class)
                .satisfies(e -> assertThat(((ActionException) e).reason()).isEqualTo(Reason.ID_TOKEN_UNAVAILABLE))
                .hasMessageContaining("HTTP 500").hasMessageContaining("re-run the job");
        assertThat(runner.tokenRequests()).hasSize(3);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void neverRetriesAClientError() {
        runner.failNext(1, 403);
        assertThatThrownBy(() -> client().fetch("aud"))
                .hasMessageContaining("HTTP 403").hasMessageContaining("id-token: write");
        assertThat(runner.tokenRequests()).hasSize(1);
    }

    @Test
    void aWrongRequestTokenIsRefusedWithoutRetry() {
        Map<String, String> env = new HashMap<>(runner.environment(Map.of(), true));
        env.put(IdTokenClient.TOKEN_VARIABLE, "stale");
        assertThatThrownBy(() -> client(env, http, 3).fetch("aud")).hasMessageContaining("HTTP 401");
        assertThat(runner.tokenRequests()).hasSize(1);
    }

    @Test
    void aStalledEndpointTimesOutAndIsRetriedABoundedNumberOfTimes() {
        runner.stall(Duration.ofSeconds(3));
        OkHttpClient impatient = HttpClients.create(new HttpSettings(
                Duration.ofMillis(500), Duration.ofMillis(300), Duration.ofSeconds(1)));
        assertThatThrownBy(() -> client(runner.environment(Map.of(), true), impatient, 2).fetch("aud"))
                .isInstanceOf(ActionException.class)
                .hasMessageContaining("could not be reached").hasMessageContaining("re-run the job");
        assertThat(runner.tokenRequests()).hasSize(2);
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(runner.environment(Map.of(), true));
        env.put(IdTokenClient.URL_VARIABLE, "http://127.0.0.1:" + closedPort + "/idtoken?api-version=2.0");
        assertThatThrownBy(() -> client(env, http, 2).fetch("aud"))
                .hasMessageContaining("could not be reached").hasMessageContaining("ConnectException");
    }

    @Test
    void anAnswerWithoutValueIsReported() {
        runner.mintWith(aud -> "");
        assertThatThrownBy(() -> client().fetch("aud")).hasMessageContaining("no `value` field");
        assertThat(runner.tokenRequests()).hasSize(1);
    }
}
