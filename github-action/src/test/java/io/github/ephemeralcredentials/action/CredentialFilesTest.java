package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.exchange.CleanupRecord;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.core.provider.aws.AwsProvider;
import io.github.ephemeralcredentials.core.provider.aws.StsWire;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a trust-policy profile asks for, as the container runs the action: AWS's shared credentials file goes
 * into the workspace for the job's later steps (owned by the workspace's owner, mode 0600, exported under the
 * runner's path, deleted by the post step), and a file holding the job's OIDC token itself (AWS
 * {@code web-identity-token-file}, Azure {@code federated-token-file}) is refused before any provider is called.
 * The providers are the real ones of {@link Providers#standard}, built on {@link CredentialFiles#forContainerStep}
 * as the container builds them, against loopback stand-ins for STS and Entra.
 */
class CredentialFilesTest {

    private static final String ACCESS_KEY_ID = "ASIAFILECANARY7EXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/file+secret/canary";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEFILE/session+token/canary==";

    @TempDir
    Path dir;

    private RunnerEmulation runner;
    private final MockWebServer sts = new MockWebServer();
    private final MockWebServer entra = new MockWebServer();
    private final AtomicInteger entraCalls = new AtomicInteger();
    private final List<String> oidcTokens = Collections.synchronizedList(new ArrayList<>());
    private ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        runner = new RunnerEmulation(dir);
        // Keep every token the runner hands out: the OIDC token is a secret the log may show only in its mask.
        runner.mintWith(audience -> {
            String token = runner.issuer().mint(runner.subject(), List.of(audience == null
                    ? "https://github.com/" + RunnerEmulation.OWNER : audience), Duration.ofMinutes(5), runner.claims());
            oidcTokens.add(token);
            return token;
        });
        sts.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return StsWire.xml(200, StsWire.webIdentitySuccess(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN,
                        Instant.now().plusSeconds(900).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
            }
        });
        sts.start(InetAddress.getLoopbackAddress(), 0);
        entra.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                entraCalls.incrementAndGet();
                return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                        .body("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"eyJ0.entra.canary\"}")
                        .build();
            }
        });
        entra.start(InetAddress.getLoopbackAddress(), 0);
        writePolicy();
    }

    @AfterEach
    void stop() {
        runner.close();
        sts.close();
        entra.close();
    }

    /** Files are profile-only parameters: each mode is a profile of the repository's policy. */
    private void writePolicy() throws IOException {
        String stsUrl = "http://127.0.0.1:" + sts.getPort() + "/";
        Files.writeString(runner.workspace().resolve("policy.yaml"), """
                version: 1
                profiles:
                  aws-file:
                    provider: aws
                    maxLifetime: 15m
                    parameters:
                      role-arn: arn:aws:iam::123456789012:role/deploy
                      endpoint: %1$s
                      credentials-file: true
                      credentials-profile: ci
                  aws-token-file:
                    provider: aws
                    maxLifetime: 15m
                    parameters:
                      role-arn: arn:aws:iam::123456789012:role/deploy
                      endpoint: %1$s
                      web-identity-token-file: true
                  aws-token-file-at-a-path:
                    provider: aws
                    maxLifetime: 15m
                    parameters:
                      role-arn: arn:aws:iam::123456789012:role/deploy
                      endpoint: %1$s
                      web-identity-token-file: %2$s/token
                  azure-token-file:
                    provider: azure
                    maxLifetime: 15m
                    parameters:
                      tenant-id: 72f988bf-86f1-41af-91ab-2d7cd011db47
                      client-id: 11111111-2222-3333-4444-555555555555
                      authority-host: http://127.0.0.1:%3$d
                      federated-token-file: true
                rules:
                  - name: this-repository
                    issuer: %4$s
                    profiles: [aws-file, aws-token-file, aws-token-file-at-a-path, azure-token-file]
                    claims:
                      repository: %5$s
                """.formatted(stsUrl, runner.workspace(), entra.getPort(), runner.issuerUrl(),
                RunnerEmulation.REPOSITORY));
    }

    private static Map<String, String> profile(String name) {
        return Map.of("policy", "policy.yaml", "profile", name);
    }

    /** The providers as the container builds them (ActionCommand.Main). */
    private ActionRuntime runtime(Map<String, String> env) {
        var http = HttpClients.create(HttpSettings.DEFAULT);
        return new ActionRuntime(http, Retries.immediate(1), Providers.standard(http, Retries.immediate(1), env::get,
                CredentialFiles.forContainerStep(env, RunnerEmulation.WORKSPACE_ON_RUNNER), Clock.systemUTC()));
    }

    private int main(String profile) {
        Map<String, String> env = runner.environment(profile(profile), true);
        stdout = new ByteArrayOutputStream();
        return new MainStep(env, new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)),
                runtime(env)).run();
    }

    private int post(String profile) throws IOException {
        Map<String, String> state = RunnerFileCommands.read(runner.step().state());
        Map<String, String> env = runner.postEnvironment(profile(profile), state);
        stdout = new ByteArrayOutputStream();
        return new PostStep(env, new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)),
                runtime(env)).run();
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private List<String> secrets() {
        List<String> secrets = new ArrayList<>(List.of(ACCESS_KEY_ID, SECRET_KEY, SESSION_TOKEN));
        secrets.addAll(oidcTokens);
        return secrets;
    }

    private List<Path> filesIn(Path directory, String prefix) throws IOException {
        try (var files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
        }
    }

    /** Every file in the runner's directories the container writes to (the audit log aside). */
    private List<Path> everyFileWritten() throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path d : List.of(runner.workspace(), dir.resolve("github/runner_temp"))) {
            try (var files = Files.walk(d)) {
                files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("policy.yaml")
                        && !f.getFileName().toString().endsWith("-audit.jsonl")).forEach(found::add);
            }
        }
        return found;
    }

    @Test
    void theAwsCredentialsFileIsInTheWorkspaceTheOwnersOnlyAndExportedUnderTheRunnersPath() throws IOException {
        if (Integer.valueOf(0).equals(Files.getAttribute(runner.workspace(), "unix:uid"))) {
            // Running as root, as the container does: the workspace is the runner's user's (uid 1001 on hosted runners).
            Files.setAttribute(runner.workspace(), "unix:gid", 127);
            Files.setAttribute(runner.workspace(), "unix:uid", 1001);
        }
        assertThat(main("aws-file")).as(out()).isZero();

        assertThat(filesIn(runner.workspace(), "gha-creds-")).singleElement();
        Path file = filesIn(runner.workspace(), "gha-creds-").get(0);
        assertThat(file.getFileName().toString()).matches("gha-creds-[0-9a-f]{16}");
        assertThat(Files.readString(file)).isEqualTo("[ci]\naws_access_key_id = " + ACCESS_KEY_ID
                + "\naws_secret_access_key = " + SECRET_KEY + "\naws_session_token = " + SESSION_TOKEN + "\n");
        // Handed from the container's root to the runner's user, who alone reads it.
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(Files.getAttribute(runner.workspace(), "unix:uid"));
        assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(Files.getAttribute(runner.workspace(), "unix:gid"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        // Nothing left in the runner's temporary directory, which later steps know by another path.
        assertThat(everyFileWritten()).containsExactly(file);

        String onRunner = runner.workspaceOnRunner().resolve(file.getFileName()).toString();
        assertThat(RunnerFileCommands.read(runner.step().env())).containsEntry("AWS_SHARED_CREDENTIALS_FILE", onRunner)
                .containsEntry("AWS_PROFILE", "ci");
        assertThat(RunnerFileCommands.read(runner.step().output())).containsEntry("aws-shared-credentials-file", onRunner);
        // The post step runs in a container too: it deletes through the container's path.
        assertThat(CleanupRecord.fromJson(RunnerFileCommands.read(runner.step().state()).get(PostStep.STATE), "state").files())
                .containsExactly(file.toString());
    }

    @Test
    void noSecretReachesTheLogOutsideItsMaskNorAnOutputOrTheSummary() throws IOException {
        assertThat(main("aws-file")).as(out()).isZero();

        assertThat(oidcTokens).isNotEmpty();
        Canary.maskedBeforeAnythingElse(out(), List.of(SECRET_KEY, SESSION_TOKEN));
        Canary.onlyInsideMasks(out(), secrets());
        Canary.absent(String.join("\n", RunnerFileCommands.read(runner.step().output()).values()), secrets());
        Canary.absent(Files.readString(runner.step().summary()), secrets());
        assertThat(out()).doesNotContain(runner.requestToken());
    }

    @Test
    void thePostStepDeletesTheFileAndBlanksItsVariables() throws IOException {
        assertThat(main("aws-file")).as(out()).isZero();
        Path file = filesIn(runner.workspace(), "gha-creds-").get(0);

        assertThat(post("aws-file")).as(out()).isZero();
        assertThat(file).doesNotExist();
        assertThat(everyFileWritten()).isEmpty();
        assertThat(RunnerFileCommands.read(runner.step().env())).containsEntry("AWS_SHARED_CREDENTIALS_FILE", "")
                .containsEntry("AWS_SECRET_ACCESS_KEY", "");
        assertThat(out()).contains("deleted 1 file(s)");
        Canary.onlyInsideMasks(out(), secrets());
    }

    @Test
    void anAwsWebIdentityTokenFileIsRefusedSayingWhyAndWhatInsteadBeforeStsIsCalled() throws IOException {
        for (String profile : List.of("aws-token-file", "aws-token-file-at-a-path")) {
            assertThat(main(profile)).as(out()).isEqualTo(1);
            assertThat(out()).contains("::error::aws: parameter 'web-identity-token-file' is refused here: in the "
                            + "GitHub Action nothing rewrites a file holding the job's OIDC token after this step")
                    .contains("expires about 5 minutes after issue")
                    .contains("remove it from the profile: the exported keys, or a file written with "
                            + "'credentials-file: true', stay valid for the whole session")
                    .contains("check the profile in the policy file");
            Canary.onlyInsideMasks(out(), secrets());
        }
        assertThat(sts.getRequestCount()).isZero();
        assertThat(everyFileWritten()).isEmpty();
        assertThat(RunnerFileCommands.read(runner.step().env())).isEmpty();
    }

    @Test
    void anAzureFederatedTokenFileIsRefusedTheSameWayBeforeEntraIsCalled() throws IOException {
        assertThat(main("azure-token-file")).as(out()).isEqualTo(1);
        assertThat(out()).contains("::error::azure: parameter 'federated-token-file' is refused here: in the GitHub "
                        + "Action nothing rewrites a file holding the job's OIDC token")
                .contains("remove it from the profile and use the exported access token (AZURE_ACCESS_TOKEN)");
        Canary.onlyInsideMasks(out(), secrets());
        assertThat(entraCalls).hasValue(0);
        assertThat(everyFileWritten()).isEmpty();
    }

    @Test
    void theCommandLineKeepsItsPrivateFilesAndItsTokenFiles() {
        Map<String, String> env = new HashMap<>(runner.environment(Map.of(), true));
        CredentialsFileHost files = CredentialFiles.forCommandLine(env);
        assertThat(files.directory()).isEqualTo(Path.of(env.get("RUNNER_TEMP")).toAbsolutePath().normalize());
        assertThat(files.jobDirectory()).isEqualTo(files.directory());
        assertThat(files.namePrefix()).isNull();
        assertThat(files.forDirectoryOwner()).isFalse();
        assertThat(files.ciTokenFileRefusal()).isNull();

        CredentialsFileHost container = CredentialFiles.forContainerStep(env, RunnerEmulation.WORKSPACE_ON_RUNNER);
        assertThat(container.directory()).isEqualTo(runner.workspace());
        assertThat(container.ciTokenFileRefusal()).isEqualTo(CredentialFiles.CI_TOKEN_FILE_REFUSAL);
    }
}
