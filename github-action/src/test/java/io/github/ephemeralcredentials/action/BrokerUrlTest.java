package io.github.ephemeralcredentials.action;

import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.form;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step with {@code broker-url}: the token-exchange service decides and issues, and the step treats what it hands
 * back as any provider's credential — masked first, exported, summarised, audited, revoked in the post step (through
 * the service's {@code /revoke}).
 */
class BrokerUrlTest {

    /** The service's answer, byte for byte as it writes it, holding a canary secret. */
    private static final String SECRET = "ghs_CANARYbroker0123456789abcdef";
    private static final String ANSWER = """
            {"access_token":"%1$s","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"N_A","expires_in":900,
             "credential":{"provider":"github-app","expires_at":"2030-01-01T00:15:00Z",
               "values":[{"name":"token","value":"%1$s","secret":true,"env":"GH_TOKEN"},{"name":"aws-region","value":"eu-west-1","secret":false,"env":"AWS_REGION"}],
               "facts":{"principal":"github-app/424242/installation/octo-org","scope":"contents:write"}}}""".formatted(SECRET);

    @TempDir
    Path dir;

    private RunnerEmulation runner;
    private final MockWebServer service = new MockWebServer();
    private final List<RecordedRequest> received = new ArrayList<>();
    private ActionRuntime runtime;
    private ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private String url;

    @BeforeEach
    void start() throws IOException {
        runner = new RunnerEmulation(dir);
        service.start(InetAddress.getLoopbackAddress(), 0);
        url = "http://127.0.0.1:" + service.getPort();
        var http = HttpClients.create(HttpSettings.DEFAULT);
        runtime = new ActionRuntime(http, Retries.immediate(2), Providers.standard(http, Retries.immediate(2),
                name -> null, dir.resolve("files"), Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        service.close();
        runner.close();
    }

    private void answer(MockResponse... responses) {
        for (MockResponse response : responses) {
            service.enqueue(response);
        }
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json").body(body).build();
    }

    private int main(Map<String, String> inputs) {
        stdout = new ByteArrayOutputStream();
        return new MainStep(runner.environment(inputs, true),
                new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)), runtime).run();
    }

    private int post(Map<String, String> inputs) throws IOException {
        Map<String, String> env = runner.postEnvironment(inputs, RunnerFileCommands.read(runner.step().state()));
        stdout = new ByteArrayOutputStream();
        return new PostStep(env, new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)), runtime)
                .run();
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest request = service.takeRequest();
        received.add(request);
        return request;
    }

    @Test
    void asksTheServiceWithATokenForItsUrlAndHandsOutItsCredentialLikeAnyOther() throws Exception {
        answer(json(200, ANSWER), new MockResponse.Builder().code(200).build());
        Map<String, String> inputs = Map.of("broker-url", url, "profile", "release");

        assertThat(main(inputs)).as(out()).isZero();

        assertThat(runner.tokenRequests()).singleElement()
                .satisfies(r -> assertThat(r.getUrl().queryParameter("audience")).isEqualTo(url));
        RecordedRequest exchange = take();
        assertThat(exchange.getUrl().encodedPath()).isEqualTo("/token");
        Map<String, List<String>> form = form(exchange);
        String ciToken = form.get("subject_token").get(0);
        assertThat(Claims.fromJson(new String(java.util.Base64.getUrlDecoder().decode(ciToken.split("\\.")[1]),
                StandardCharsets.UTF_8)).audience()).containsExactly(url);
        assertThat(form).containsEntry("subject_token_type", List.of("urn:ietf:params:oauth:token-type:id_token"))
                .containsEntry("audience", List.of("release"));

        List<String> secrets = List.of(SECRET, ciToken);
        Canary.maskedBeforeAnythingElse(out(), List.of(SECRET));
        Canary.onlyInsideMasks(out(), secrets);
        RunnerEmulation.StepFiles files = runner.step();
        assertThat(RunnerFileCommands.read(files.env())).containsExactly(Map.entry("GH_TOKEN", SECRET),
                Map.entry("AWS_REGION", "eu-west-1"));
        Map<String, String> outputs = RunnerFileCommands.read(files.output());
        assertThat(outputs).containsEntry("service-provider", "github-app").containsEntry("profile", "release")
                .containsEntry("principal", "github-app/424242/installation/octo-org")
                .containsEntry("aws-region", "eu-west-1")
                .containsEntry("expiration", "2030-01-01T00:15:00Z").doesNotContainKey("token");
        Canary.absent(String.join("\n", outputs.values()), secrets);
        String summary = Files.readString(files.summary());
        assertThat(summary).contains("| ` broker ` | ` github-app/424242/installation/octo-org ` | ` contents:write ` |");
        Canary.absent(summary, secrets);
        String audit = Files.readString(Path.of(runner.environment(Map.of(), true).get("RUNNER_TEMP"))
                .resolve(AuditLog.DEFAULT_NAME));
        assertThat(audit).contains("\"provider\":\"broker\"").contains("\"outcome\":\"ISSUED\"");
        Canary.absent(audit, secrets);

        assertThat(post(inputs)).isZero();
        RecordedRequest revoke = take();
        assertThat(revoke.getUrl().encodedPath()).isEqualTo("/revoke");
        assertThat(form(revoke)).containsExactly(Map.entry("token", List.of(SECRET)),
                Map.entry("token_type_hint", List.of("access_token")));
        assertThat(out()).contains("revoked 1 of 1").contains("blanked 2 variable(s)");
        assertThat(RunnerFileCommands.read(runner.step().env())).containsOnly(Map.entry("GH_TOKEN", ""),
                Map.entry("AWS_REGION", ""));
        Canary.onlyInsideMasks(out(), secrets);
    }

    @Test
    void theAudienceInputOverridesTheServicesUrl() {
        answer(json(200, ANSWER));
        assertThat(main(Map.of("broker-url", url, "profile", "release", "audience", "https://creds.example.com")))
                .as(out()).isZero();
        assertThat(runner.tokenRequests().get(0).getUrl().queryParameter("audience"))
                .isEqualTo("https://creds.example.com");
    }

    @Test
    void theServicesDenialIsShownWithItsExplanationAndNothingIsExported() throws IOException {
        answer(json(403, "{\"error\":\"access_denied\",\"error_description\":\"no rule for profile 'release' "
                + "matched\\nrule main-only:\\n  [FAIL] ref: 'refs/heads/feature' does not match 'refs/heads/main'\"}"));

        assertThat(main(Map.of("broker-url", url, "profile", "release"))).isEqualTo(1);

        assertThat(out()).contains("::error::broker refused the job's OIDC token (access_denied)")
                .contains("[FAIL] ref: 'refs/heads/feature' does not match 'refs/heads/main'")
                .contains("out of the job's reach");
        assertThat(Files.size(runner.step().env()) + Files.size(runner.step().state())).isZero();
    }

    @Test
    void anUnknownProfileIsNamedAsTheStepsInput() {
        answer(json(400, "{\"error\":\"invalid_target\",\"error_description\":\"no profile 'relase'\"}"));
        assertThat(main(Map.of("broker-url", url, "profile", "relase"))).isEqualTo(1);
        assertThat(out()).contains("::error::broker: the token-exchange service at " + url + "/token refused "
                + "profile 'relase' (invalid_target): no profile 'relase'");
    }

    @Test
    void brokerUrlTakesNoPolicyNoOtherProviderAndNeedsAProfileAllCheckedBeforeTheTokenIsRequested() throws IOException {
        Files.writeString(runner.workspace().resolve("policy.yaml"), "version: 1\nprofiles: {}\nrules: []\n");

        assertThat(main(Map.of("broker-url", url, "profile", "release", "policy", "policy.yaml"))).isEqualTo(1);
        assertThat(out()).contains("::error::inputs `broker-url` and `policy` exclude each other")
                .contains("applies its own trust policy, out of the job's reach").contains("remove `policy`");

        assertThat(main(Map.of("broker-url", url))).isEqualTo(1);
        assertThat(out()).contains("input `broker-url` needs `profile`");

        assertThat(main(Map.of("broker-url", url, "profile", "release", "provider", "github-app"))).isEqualTo(1);
        assertThat(out()).contains("input `provider` is 'github-app', but with `broker-url`")
                .contains("remove `provider`");

        assertThat(main(Map.of("broker-url", url, "profile", "release", "role-to-assume",
                "arn:aws:iam::123456789012:role/deploy"))).isEqualTo(1);
        assertThat(out()).contains("remove the inputs of aws");

        assertThat(main(Map.of("profile", "release"))).isEqualTo(1);
        assertThat(out()).contains("input `profile` needs `policy`").contains("`broker-url`");

        assertThat(runner.tokenRequests()).isEmpty();
        assertThat(service.getRequestCount()).isZero();
    }

    @Test
    void aServiceUrlThatWouldCarryTheTokenInClearIsRefused() {
        assertThat(main(Map.of("broker-url", "http://credentials.example.com", "profile", "release"))).isEqualTo(1);
        assertThat(out()).contains("::error::broker: 'url' 'http://credentials.example.com' uses http")
                .contains("use https");
        assertThat(service.getRequestCount()).isZero();
    }

    /**
     * The same App token the step refuses to issue on its own (it cannot verify the claims) is issued through the
     * service, which verifies the token before its policy decides, and revoked through it.
     */
    @Test
    void aGitHubAppTokenComesThroughTheServiceWhileALocalGitHubAppProfileStaysRefused() throws Exception {
        try (ServiceStandIn standIn = ServiceStandIn.standard(runner.issuerUrl())) {
            Map<String, String> inputs = Map.of("broker-url", standIn.url(), "profile", "release");

            assertThat(main(inputs)).as(out()).isZero();

            assertThat(standIn.issued).singleElement().satisfies(c -> assertThat(c.provider()).isEqualTo("github-app"));
            String appToken = standIn.issued.get(0).value("token").orElseThrow().value();
            String ciToken = standIn.tokenForms.get(0).get("subject_token").get(0);
            Canary.maskedBeforeAnythingElse(out(), List.of(appToken));
            Canary.onlyInsideMasks(out(), List.of(appToken, ciToken));
            assertThat(RunnerFileCommands.read(runner.step().env())).containsEntry("GITHUB_TOKEN", appToken)
                    .containsEntry("GH_TOKEN", appToken);
            assertThat(RunnerFileCommands.read(runner.step().output()))
                    .containsEntry("service-provider", "github-app")
                    .containsEntry("principal", "github-app/" + ServiceStandIn.APP_ID + "/installation/"
                            + RunnerEmulation.OWNER)
                    .containsEntry("repositories", RunnerEmulation.REPOSITORY)
                    .containsEntry("permissions", "contents:write");
            assertThat(standIn.github.violations).isEmpty();

            assertThat(post(inputs)).isZero();
            assertThat(standIn.revoked).containsExactly(appToken);
        }

        runner.newStep();
        Files.writeString(runner.workspace().resolve("policy.yaml"), """
                version: 1
                profiles:
                  release:
                    provider: github-app
                    maxLifetime: 10m
                    parameters: {app-id: "424242", private-key-env: GITHUB_APP_KEY, owner: octo-org}
                rules:
                  - name: anyone-can-write-these-claims
                    issuer: %s
                    profiles: [release]
                    claims: {repository: octo-org/octo-repo}
                """.formatted(runner.issuerUrl()));
        assertThat(main(Map.of("policy", "policy.yaml", "profile", "release"))).isEqualTo(1);
        assertThat(out()).contains("::error::provider 'github-app' never shows the CI token to anyone who verifies it");
        assertThat(RunnerFileCommands.read(runner.step().env())).isEmpty();
    }
}
