package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.action.PostStep;
import io.github.ephemeralcredentials.action.Canary;
import io.github.ephemeralcredentials.action.RunnerEmulation;
import io.github.ephemeralcredentials.action.RunnerFileCommands;
import io.github.ephemeralcredentials.core.provider.aws.StsWire;
import io.github.ephemeralcredentials.core.provider.gcp.FakeGoogle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action as its container runs it: {@code Main action main} then {@code Main action post}, in child processes
 * with the runner's environment, against the runner emulation. The successful path trades the token at navikt's
 * mock-oauth2-server (a real RFC 8693 token endpoint; used here for the protocol shape, not for a security check).
 */
class ActionContainerTest {

    private static final MockOAuth2Server OAUTH = new MockOAuth2Server();

    @TempDir
    Path dir;

    private RunnerEmulation runner;

    @BeforeAll
    static void startServer() {
        OAUTH.start(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stopServer() {
        OAUTH.shutdown();
    }

    @BeforeEach
    void start() throws IOException {
        runner = new RunnerEmulation(dir);
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    private Container.Result main(Map<String, String> env) throws Exception {
        return Container.run(env, runner.workspace(), "action", "main");
    }

    private Map<String, String> tokenExchangeInputs() {
        return Map.of("provider", "jwt-bearer",
                "token-endpoint", OAUTH.tokenEndpointUrl("ci").toString(),
                "client-id", "deployer",
                "scope", "deploy",
                "audience", "https://as.example.test");
    }

    @Test
    void mainThenPostExportsMaskedCredentialsAndBlanksThem() throws Exception {
        Container.Result main = main(runner.environment(tokenExchangeInputs(), true));
        assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();

        Map<String, String> env = RunnerFileCommands.read(runner.step().env());
        String accessToken = env.get("ACCESS_TOKEN");
        assertThat(accessToken).isNotBlank();
        String idToken = main.stdout().lines().filter(l -> l.startsWith("::add-mask::")).findFirst().orElseThrow()
                .substring("::add-mask::".length());
        List<String> secrets = List.of(accessToken, idToken);
        Canary.maskedBeforeAnythingElse(main.stdout(), secrets);
        Canary.onlyInsideMasks(main.stdout(), secrets);
        assertThat(main.stderr()).doesNotContain(accessToken, idToken);
        Canary.absent(Files.readString(runner.step().summary()), secrets);
        Canary.absent(String.join("\n", RunnerFileCommands.read(runner.step().output()).values()), secrets);
        assertThat(RunnerFileCommands.read(runner.step().output())).containsKey("expiration")
                .containsEntry("principal", "deployer").containsEntry("scope", "deploy");
        assertThat(Files.readString(runner.step().summary())).contains("| ` jwt-bearer ` | ` deployer ` | ` deploy ` |");

        Map<String, String> state = RunnerFileCommands.read(runner.step().state());
        assertThat(state).containsKey(PostStep.STATE);
        Container.Result post = Container.run(runner.postEnvironment(tokenExchangeInputs(), state),
                runner.workspace(), "action", "post");
        assertThat(post.exitCode()).as(post.stdout() + post.stderr()).isZero();
        assertThat(RunnerFileCommands.read(runner.step().env())).containsEntry("ACCESS_TOKEN", "");
        Canary.onlyInsideMasks(post.stdout(), secrets);
    }

    @Test
    void aGcpCredentialsFileIsExportedUnderTheWorkspacePathActionYmlPassesAndDeletedByThePost() throws Exception {
        FakeGoogle google = new FakeGoogle();
        google.workloadIdentityUsers.put(FakeGoogle.SA, java.util.Set.of("principal://iam.googleapis.com/projects/"
                + "123456789012/locations/global/workloadIdentityPools/ci-pool/subject/" + runner.subject()));
        try (MockWebServer googleServer = new MockWebServer()) {
            googleServer.setDispatcher(google);
            googleServer.start(java.net.InetAddress.getLoopbackAddress(), 0);
            String base = "http://127.0.0.1:" + googleServer.getPort();
            // Google's endpoints can move only through a profile, so the policy points them at the fake.
            Files.writeString(runner.workspace().resolve("policy.yaml"), """
                    version: 1
                    profiles:
                      gcp:
                        provider: gcp
                        maxLifetime: 15m
                        parameters:
                          workload-identity-provider: %s
                          service-account: %s
                          sts-endpoint: %s/v1/token
                          iamcredentials-endpoint: %s
                          credentials-file: true
                    rules:
                      - name: this-repository
                        issuer: %s
                        profiles: [gcp]
                        claims:
                          repository: %s
                    """.formatted(FakeGoogle.PROVIDER, FakeGoogle.SA, base, base, runner.issuerUrl(),
                    RunnerEmulation.REPOSITORY));
            Map<String, String> inputs = Map.of("policy", "policy.yaml", "profile", "gcp");

            // action.yml's args: action main ${{ inputs.workspace-on-runner }} (github.workspace by default).
            Container.Result main = Container.run(runner.environment(inputs, true), runner.workspace(), "action",
                    "main", RunnerEmulation.WORKSPACE_ON_RUNNER);
            assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();

            String exported = RunnerFileCommands.read(runner.step().env()).get("GOOGLE_APPLICATION_CREDENTIALS");
            assertThat(exported).startsWith(RunnerEmulation.WORKSPACE_ON_RUNNER + "/gha-creds-").endsWith(".json");
            Path file = runner.workspace().resolve(Path.of(exported).getFileName());
            assertThat(file).exists();
            assertThat(Files.readString(file)).contains("\"url\"").contains("\"subject_token_field_name\" : \"value\"");
            assertThat(main.stdout() + main.stderr()).doesNotContain(runner.requestToken());

            Map<String, String> state = RunnerFileCommands.read(runner.step().state());
            Container.Result post = Container.run(runner.postEnvironment(inputs, state), runner.workspace(),
                    "action", "post");
            assertThat(post.exitCode()).as(post.stdout() + post.stderr()).isZero();
            assertThat(file).doesNotExist();
            assertThat(RunnerFileCommands.read(runner.step().env())).containsEntry("GOOGLE_APPLICATION_CREDENTIALS", "");
        }
    }

    @Test
    void anAwsCredentialsFileIsExportedUnderTheWorkspacePathAndAWebIdentityTokenFileIsRefused() throws Exception {
        String secret = "file/secret+key/canary";
        String session = "file/session+token/canary";
        try (MockWebServer sts = new MockWebServer()) {
            sts.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public mockwebserver3.MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                    return StsWire.xml(200, StsWire.webIdentitySuccess("ASIAFILECANARY", secret, session,
                            java.time.Instant.now().plusSeconds(900).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
                }
            });
            sts.start(java.net.InetAddress.getLoopbackAddress(), 0);
            Files.writeString(runner.workspace().resolve("policy.yaml"), """
                    version: 1
                    profiles:
                      aws-file:
                        provider: aws
                        maxLifetime: 15m
                        parameters:
                          role-arn: arn:aws:iam::123456789012:role/deploy
                          endpoint: http://127.0.0.1:%1$d/
                          credentials-file: true
                      aws-token-file:
                        provider: aws
                        maxLifetime: 15m
                        parameters:
                          role-arn: arn:aws:iam::123456789012:role/deploy
                          endpoint: http://127.0.0.1:%1$d/
                          web-identity-token-file: true
                    rules:
                      - name: this-repository
                        issuer: %2$s
                        profiles: [aws-file, aws-token-file]
                        claims:
                          repository: %3$s
                    """.formatted(sts.getPort(), runner.issuerUrl(), RunnerEmulation.REPOSITORY));
            Map<String, String> inputs = Map.of("policy", "policy.yaml", "profile", "aws-file");

            Container.Result main = Container.run(runner.environment(inputs, true), runner.workspace(), "action",
                    "main", RunnerEmulation.WORKSPACE_ON_RUNNER);
            assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();
            String exported = RunnerFileCommands.read(runner.step().env()).get("AWS_SHARED_CREDENTIALS_FILE");
            assertThat(exported).matches(java.util.regex.Pattern.quote(RunnerEmulation.WORKSPACE_ON_RUNNER)
                    + "/gha-creds-[0-9a-f]{16}");
            Path file = runner.workspace().resolve(Path.of(exported).getFileName());
            assertThat(Files.readString(file)).contains("aws_secret_access_key = " + secret);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            Canary.onlyInsideMasks(main.stdout() + main.stderr(), List.of(secret, session));

            Container.Result post = Container.run(runner.postEnvironment(inputs,
                    RunnerFileCommands.read(runner.step().state())), runner.workspace(), "action", "post");
            assertThat(post.exitCode()).as(post.stdout() + post.stderr()).isZero();
            assertThat(file).doesNotExist();
            assertThat(RunnerFileCommands.read(runner.step().env())).containsEntry("AWS_SHARED_CREDENTIALS_FILE", "");

            runner.newStep();
            Container.Result refused = Container.run(runner.environment(Map.of("policy", "policy.yaml", "profile",
                    "aws-token-file"), true), runner.workspace(), "action", "main", RunnerEmulation.WORKSPACE_ON_RUNNER);
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.stdout()).contains("::error::aws: parameter 'web-identity-token-file' is refused here");
            assertThat(sts.getRequestCount()).isEqualTo(1);
        }
    }

    @Test
    void withoutIdTokenPermissionTheStepFailsWithTheFix() throws Exception {
        Container.Result result = main(runner.environment(tokenExchangeInputs(), false));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).startsWith("::error::")
                .contains("add `permissions: id-token: write` to the job");
        assertThat(Files.size(runner.step().env())).isZero();
    }

    @Test
    void anUnknownProviderIsNamedWithTheChoices() throws Exception {
        Container.Result result = main(runner.environment(Map.of("provider", "aws-sts"), true));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains("::error::input `provider` is 'aws-sts'; use one of");
        assertThat(runner.tokenRequests()).isEmpty();
    }

    @Test
    void aTokenEndpointThatKeepsFailingEndsTheStepWithoutAStackTrace() throws Exception {
        runner.failNext(100, 500);
        Container.Result result = main(runner.environment(tokenExchangeInputs(), true));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains("::error::").contains("HTTP 500").contains("re-run the job");
        assertThat(result.stdout() + result.stderr()).doesNotContain("\tat ", "Exception in thread");
        assertThat(runner.tokenRequests()).hasSizeBetween(2, 10);
    }

    @Test
    void aMalformedRoleArnIsRefusedWithTheProvidersMessage() throws Exception {
        Container.Result result = main(runner.environment(Map.of("role-to-assume", "arn:aws:iam::role/deploy"), true));
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stdout()).contains("::error::aws: input `role-to-assume` is 'arn:aws:iam::role/deploy'")
                .contains("arn:aws:iam::123456789012:role/deploy").contains("check this step's `with:` inputs")
                .doesNotContain("role-arn");
    }

    @Test
    void aDurationOutOfRangeIsRefusedWithTheRangeNeverCut() throws Exception {
        for (String seconds : List.of("60", "50000")) {
            runner.newStep();
            Container.Result result = main(runner.environment(Map.of("role-to-assume",
                    "arn:aws:iam::123456789012:role/deploy", "role-duration-seconds", seconds), true));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stdout()).contains("::error::input `role-duration-seconds` is " + seconds
                    + "; aws issues credentials for 900 to 43200 seconds").doesNotContain("profile");
        }
        assertThat(runner.tokenRequests()).isEmpty();
    }
}
