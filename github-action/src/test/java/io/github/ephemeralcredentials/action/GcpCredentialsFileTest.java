package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.exchange.CleanupRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.core.provider.gcp.FakeGoogle;
import io.github.ephemeralcredentials.core.provider.gcp.GcpProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code create-credentials-file: true} as the container runs it: the main step writes the {@code external_account}
 * file into the workspace for the job's later steps (host steps as the runner's user, job containers, other
 * container actions), exports it under the runner's path, and the post step deletes it. The exchange is GCP's real
 * provider against {@link FakeGoogle}; only its endpoints are pointed at loopback.
 */
class GcpCredentialsFileTest {

    @TempDir
    Path dir;

    private RunnerEmulation runner;
    private final MockWebServer googleServer = new MockWebServer();
    private final FakeGoogle google = new FakeGoogle();
    private final OkHttpClient http = HttpClients.create(HttpSettings.DEFAULT);
    private ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    private static final Map<String, String> INPUTS = Map.of(
            "workload-identity-provider", FakeGoogle.PROVIDER,
            "service-account", FakeGoogle.SA,
            "create-credentials-file", "true");

    @BeforeEach
    void start() throws IOException {
        runner = new RunnerEmulation(dir);
        googleServer.setDispatcher(google);
        googleServer.start(InetAddress.getLoopbackAddress(), 0);
        google.workloadIdentityUsers.put(FakeGoogle.SA, Set.of("principal://iam.googleapis.com/projects/123456789012/"
                + "locations/global/workloadIdentityPools/ci-pool/subject/" + runner.subject()));
    }

    @AfterEach
    void stop() {
        runner.close();
        googleServer.close();
    }

    private String googleBase() {
        return "http://127.0.0.1:" + googleServer.getPort();
    }

    /** GCP's provider as the container builds it, with Google's endpoints moved to the fake (a profile could). */
    private ActionRuntime runtime(Map<String, String> env, String workspaceOnRunner) {
        GcpProvider gcp = new GcpProvider(http, Retries.immediate(2), Clock.systemUTC(),
                CredentialFiles.forContainerStep(env, workspaceOnRunner));
        CredentialProvider atFake = new CredentialProvider() {
            @Override
            public String id() {
                return GcpProvider.ID;
            }

            @Override
            public ProviderDescriptor descriptor() {
                return gcp.descriptor();
            }

            @Override
            public EphemeralCredential exchange(ExchangeRequest request) {
                Map<String, Object> parameters = new HashMap<>(request.parameters());
                parameters.put("sts-endpoint", googleBase() + "/v1/token");
                parameters.put("iamcredentials-endpoint", googleBase());
                return gcp.exchange(new ExchangeRequest(request.ciToken(), request.claims(), parameters,
                        request.scope(), request.lifetime(), request.owner()));
            }

            @Override
            public void revoke(Revocation revocation) {
                gcp.revoke(revocation);
            }
        };
        return new ActionRuntime(http, Retries.immediate(2), Map.of(GcpProvider.ID, atFake));
    }

    private int main(Map<String, String> env, String workspaceOnRunner) {
        stdout = new ByteArrayOutputStream();
        return new MainStep(env, new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)),
                runtime(env, workspaceOnRunner)).run();
    }

    private int post() throws IOException {
        Map<String, String> state = RunnerFileCommands.read(runner.step().state());
        Map<String, String> env = runner.postEnvironment(INPUTS, state);
        stdout = new ByteArrayOutputStream();
        return new PostStep(env, new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)),
                runtime(env, RunnerEmulation.WORKSPACE_ON_RUNNER)).run();
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    /** The one {@code gha-creds-*.json} in the workspace (the container's side of the mount). */
    private Path credentialsFile() throws IOException {
        try (var files = Files.list(runner.workspace())) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith("gha-creds-")).toList();
            assertThat(found).singleElement();
            return found.get(0);
        }
    }

    @Test
    void theFileIsInTheWorkspaceReadableByItsOwnerAndExportedUnderTheRunnersPath() throws IOException {
        if (Integer.valueOf(0).equals(Files.getAttribute(runner.workspace(), "unix:uid"))) {
            // Running as root, as the container does: the workspace is the runner's user's (uid 1001 on hosted runners).
            Files.setAttribute(runner.workspace(), "unix:gid", 127);
            Files.setAttribute(runner.workspace(), "unix:uid", 1001);
        }
        assertThat(main(runner.environment(INPUTS, true), RunnerEmulation.WORKSPACE_ON_RUNNER)).as(out()).isZero();

        Path file = credentialsFile();
        assertThat(file.getFileName().toString()).matches("gha-creds-[0-9a-f]{16}\\.json");
        // The runner's user owns the workspace; the container's root hands the file over to it.
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(Files.getAttribute(runner.workspace(), "unix:uid"));
        assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(Files.getAttribute(runner.workspace(), "unix:gid"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        String onRunner = runner.workspaceOnRunner().resolve(file.getFileName()).toString();
        Map<String, String> exported = RunnerFileCommands.read(runner.step().env());
        assertThat(exported).containsEntry("GOOGLE_APPLICATION_CREDENTIALS", onRunner)
                .containsEntry("CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", onRunner);
        // The output action.yml declares (google-github-actions/auth's credentials_file_path).
        assertThat(RunnerFileCommands.read(runner.step().output())).containsEntry("credentials-file-path", onRunner);
        // The post step runs in a container too: it deletes through the container's path.
        assertThat(CleanupRecord.fromJson(RunnerFileCommands.read(runner.step().state()).get(PostStep.STATE), "state").files())
                .containsExactly(file.toString());
    }

    @Test
    void theFileAsksTheRunnerForAFreshTokenAndGoogleAcceptsIt() throws IOException {
        assertThat(main(runner.environment(INPUTS, true), RunnerEmulation.WORKSPACE_ON_RUNNER)).as(out()).isZero();

        JsonNode json = FakeGoogle.JSON.readTree(Files.readString(credentialsFile()));
        assertThat(json.path("type").asText()).isEqualTo("external_account");
        assertThat(json.path("audience").asText()).isEqualTo("//iam.googleapis.com/" + FakeGoogle.PROVIDER);
        assertThat(json.path("token_url").asText()).isEqualTo(googleBase() + "/v1/token");
        assertThat(json.path("service_account_impersonation_url").asText()).isEqualTo(googleBase()
                + "/v1/projects/-/serviceAccounts/" + FakeGoogle.SA + ":generateAccessToken");
        JsonNode source = json.path("credential_source");
        assertThat(source.has("file")).isFalse();
        HttpUrl url = HttpUrl.get(source.path("url").asText());
        assertThat(url.newBuilder().removeAllQueryParameters("audience").build().toString()).isEqualTo(runner.tokenUrl());
        assertThat(url.queryParameter("audience")).isEqualTo("https://iam.googleapis.com/" + FakeGoogle.PROVIDER);
        assertThat(source.path("headers").path("Authorization").asText()).isEqualTo("Bearer " + runner.requestToken());
        assertThat(source.path("format").path("type").asText()).isEqualTo("json");
        assertThat(source.path("format").path("subject_token_field_name").asText()).isEqualTo("value");

        // What a client library does with the file, later in the job: a fresh CI token from the runner, then STS.
        Request.Builder fetch = new Request.Builder().url(url);
        source.path("headers").fields().forEachRemaining(h -> fetch.header(h.getKey(), h.getValue().asText()));
        String subjectToken;
        try (Response response = http.newCall(fetch.build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            subjectToken = FakeGoogle.JSON.readTree(response.body().string())
                    .path(source.path("format").path("subject_token_field_name").asText()).asText();
        }
        String sts = FakeGoogle.JSON.createObjectNode().put("audience", json.path("audience").asText())
                .put("grantType", "urn:ietf:params:oauth:grant-type:token-exchange")
                .put("requestedTokenType", "urn:ietf:params:oauth:token-type:access_token")
                .put("scope", "https://www.googleapis.com/auth/cloud-platform")
                .put("subjectTokenType", json.path("subject_token_type").asText())
                .put("subjectToken", subjectToken).toString();
        try (Response response = http.newCall(new Request.Builder().url(json.path("token_url").asText())
                .post(RequestBody.create(sts, MediaType.get("application/json"))).build()).execute()) {
            assertThat(response.code()).as(response.body().string()).isEqualTo(200);
        }
    }

    @Test
    void neitherTheRequestTokenNorACredentialReachesTheLog() throws IOException {
        assertThat(main(runner.environment(INPUTS, true), RunnerEmulation.WORKSPACE_ON_RUNNER)).as(out()).isZero();

        // The runner masks ACTIONS_ID_TOKEN_REQUEST_TOKEN itself (it is the job's system token); the step never
        // prints it, not even in a mask line, nor puts it in an output or the summary.
        assertThat(out()).doesNotContain(runner.requestToken());
        List<String> secrets = new ArrayList<>(google.issued);
        secrets.add(runner.requestToken());
        Canary.onlyInsideMasks(out(), secrets);
        Canary.absent(String.join("\n", RunnerFileCommands.read(runner.step().output()).values()), secrets);
        Canary.absent(Files.readString(runner.step().summary()), secrets);
        Canary.absent(Files.readString(runner.step().env()), List.of(runner.requestToken()));
    }

    @Test
    void thePostStepDeletesTheFileAndBlanksItsVariables() throws IOException {
        assertThat(main(runner.environment(INPUTS, true), RunnerEmulation.WORKSPACE_ON_RUNNER)).as(out()).isZero();
        Path file = credentialsFile();

        assertThat(post()).as(out()).isZero();
        assertThat(file).doesNotExist();
        assertThat(RunnerFileCommands.read(runner.step().env())).containsEntry("GOOGLE_APPLICATION_CREDENTIALS", "")
                .containsEntry("CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", "");
        assertThat(out()).contains("deleted 1 file(s)");
        Canary.onlyInsideMasks(out(), List.of(runner.requestToken()));
    }

    @Test
    void withoutTheRunnersPathTheContainersIsExported() throws IOException {
        // A container started without the argument (an older action.yml): still a working file, for steps that
        // see the workspace where this step does.
        assertThat(main(runner.environment(INPUTS, true), null)).as(out()).isZero();
        assertThat(RunnerFileCommands.read(runner.step().env()))
                .containsEntry("GOOGLE_APPLICATION_CREDENTIALS", credentialsFile().toString());

        Map<String, String> env = runner.environment(INPUTS, true);
        assertThat(CredentialFiles.forContainerStep(env, "relative/path").jobDirectory()).isEqualTo(runner.workspace());
        assertThat(CredentialFiles.forContainerStep(env, " " + RunnerEmulation.WORKSPACE_ON_RUNNER + "\n").jobDirectory())
                .isEqualTo(runner.workspaceOnRunner());
    }

    @Test
    void outsideAJobWithTheIdTokenPermissionTheCommandLineKeepsItsPrivateTokenFile() {
        Map<String, String> env = new HashMap<>(runner.environment(INPUTS, false));
        CredentialsFileHost files = CredentialFiles.forCommandLine(env);
        assertThat(files.tokenEndpoint()).isNull();
        assertThat(files.forDirectoryOwner()).isFalse();
        assertThat(CredentialFiles.forCommandLine(runner.environment(INPUTS, true)).tokenEndpoint().url().toString())
                .isEqualTo(runner.tokenUrl());
    }
}
