package io.github.ephemeralcredentials.core.provider.gcp;

import static io.github.ephemeralcredentials.core.provider.CiTokens.map;
import static io.github.ephemeralcredentials.core.provider.CiTokens.mint;
import static io.github.ephemeralcredentials.core.provider.CiTokens.request;
import static io.github.ephemeralcredentials.core.provider.gcp.FakeGoogle.PROVIDER;
import static io.github.ephemeralcredentials.core.provider.gcp.FakeGoogle.SA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.security.auth.module.UnixSystem;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GCP workload identity federation on the wire against {@link FakeGoogle}, which follows Google's REST references
 * for STS v1 {@code token} and IAM Credentials {@code generateAccessToken} (Google cannot run here). Request bodies
 * and headers are asserted field by field as those references document them.
 */
class GcpProviderTest {

    static final String SUB = "repo:acme/app:ref:refs/heads/main";
    static final String PRINCIPAL = "principal://iam.googleapis.com/projects/123456789012/locations/global/"
            + "workloadIdentityPools/ci-pool/subject/" + SUB;

    private final MockWebServer server = new MockWebServer();
    private final FakeGoogle google = new FakeGoogle();
    private final GcpProvider provider = new GcpProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(3),
            Clock.systemUTC());
    private final String ci = mint(SUB, "https://iam.googleapis.com/" + PROVIDER);

    @TempDir
    Path temp;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(google);
        server.start(InetAddress.getLoopbackAddress(), 0);
        google.workloadIdentityUsers.put(SA, Set.of(PRINCIPAL));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private Map<String, Object> params(Object... extra) {
        Map<String, Object> p = map("workload-identity-provider", PROVIDER, "sts-endpoint", base() + "/v1/token",
                "iamcredentials-endpoint", base());
        p.putAll(map(extra));
        return p;
    }

    @Test
    void exchangesTheCiTokenAtStsWithGooglesJsonFields() throws Exception {
        Instant before = Instant.now();
        EphemeralCredential credential = provider.exchange(request(ci, params()));

        assertThat(google.requests).hasSize(1);
        RecordedRequest sts = google.requests.get(0);
        assertThat(sts.getMethod()).isEqualTo("POST");
        assertThat(sts.getUrl().encodedPath()).isEqualTo("/v1/token");
        assertThat(sts.getHeaders().get("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(sts.getHeaders().get("Authorization")).isNull();
        assertThat(FakeGoogle.JSON.readTree(sts.getBody().utf8())).isEqualTo(FakeGoogle.JSON.createObjectNode()
                .put("audience", "//iam.googleapis.com/" + PROVIDER)
                .put("grantType", "urn:ietf:params:oauth:grant-type:token-exchange")
                .put("requestedTokenType", "urn:ietf:params:oauth:token-type:access_token")
                .put("scope", "https://www.googleapis.com/auth/cloud-platform")
                .put("subjectTokenType", "urn:ietf:params:oauth:token-type:jwt")
                .put("subjectToken", ci));

        String token = google.issued.get(0);
        assertThat(credential.environment()).containsExactly(Map.entry("GOOGLE_OAUTH_ACCESS_TOKEN", token),
                Map.entry("CLOUDSDK_AUTH_ACCESS_TOKEN", token));
        assertThat(credential.secrets()).containsOnly(token);
        assertThat(credential.facts()).containsEntry("principal", PRINCIPAL).containsEntry("workload-identity-provider", PROVIDER);
        assertThat(credential.expiresAt()).isBetween(before.plusSeconds(3599), Instant.now().plusSeconds(3599));
        assertThat(credential.facts()).containsEntry("expiration", credential.expiresAt().toString());
        assertThat(credential.revocations()).isEmpty();
        assertThat(credential.files()).isEmpty();
    }

    @Test
    void acceptsTheProviderWithItsIamPrefix() {
        provider.exchange(request(ci, params("workload-identity-provider", "//iam.googleapis.com/" + PROVIDER)));
        assertThat(google.requests).hasSize(1);
    }

    @Test
    void impersonatesTheServiceAccountWithTheFederatedTokenAsBearer() throws Exception {
        EphemeralCredential credential = provider.exchange(request(ci,
                params("service-account", SA, "delegates", List.of("hop@my-project.iam.gserviceaccount.com")),
                Map.of("scopes", List.of("https://www.googleapis.com/auth/cloud-platform",
                        "https://www.googleapis.com/auth/userinfo.email")), Duration.ofMinutes(15)));
        google.workloadIdentityUsers.put(SA, Set.of(PRINCIPAL));

        RecordedRequest generate = google.requests.get(1);
        assertThat(generate.getMethod()).isEqualTo("POST");
        assertThat(generate.getUrl().encodedPath())
                .isEqualTo("/v1/projects/-/serviceAccounts/" + SA + ":generateAccessToken");
        assertThat(generate.getHeaders().get("Authorization")).isEqualTo("Bearer " + google.issued.get(0));
        JsonNode body = FakeGoogle.JSON.readTree(generate.getBody().utf8());
        JsonNode expected = FakeGoogle.JSON.createObjectNode().put("lifetime", "900s");
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).putArray("delegates")
                .add("projects/-/serviceAccounts/hop@my-project.iam.gserviceaccount.com");
        ((com.fasterxml.jackson.databind.node.ObjectNode) expected).putArray("scope")
                .add("https://www.googleapis.com/auth/cloud-platform").add("https://www.googleapis.com/auth/userinfo.email");
        assertThat(body).isEqualTo(expected);

        String token = google.issued.get(1);
        assertThat(credential.environment()).containsEntry("GOOGLE_OAUTH_ACCESS_TOKEN", token);
        assertThat(credential.secrets()).containsOnly(token);
        assertThat(credential.facts()).containsEntry("principal", SA).containsEntry("federated-principal", PRINCIPAL);
        assertThat(credential.expiresAt()).isBetween(Instant.now().plusSeconds(895), Instant.now().plusSeconds(901));
    }

    @Test
    void writesAnOwnerOnlyExternalAccountFileAndTokenFileOutsideTheWorkspace() throws Exception {
        EphemeralCredential credential = provider.exchange(request(ci,
                params("service-account", SA, "credentials-file", true, "credentials-dir", temp.toString())));

        assertThat(credential.files()).hasSize(2).allSatisfy(f -> {
            assertThat(f.getParent()).isEqualTo(temp);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        });
        Path config = credential.files().get(0);
        Path tokenFile = credential.files().get(1);
        assertThat(Files.readString(tokenFile)).isEqualTo(ci);
        JsonNode json = FakeGoogle.JSON.readTree(Files.readString(config));
        assertThat(json.path("type").asText()).isEqualTo("external_account");
        assertThat(json.path("audience").asText()).isEqualTo("//iam.googleapis.com/" + PROVIDER);
        assertThat(json.path("subject_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:jwt");
        assertThat(json.path("token_url").asText()).isEqualTo(base() + "/v1/token");
        assertThat(json.path("credential_source").path("file").asText()).isEqualTo(tokenFile.toString());
        assertThat(json.path("credential_source").path("format").path("type").asText()).isEqualTo("text");
        assertThat(json.path("service_account_impersonation_url").asText())
                .isEqualTo(base() + "/v1/projects/-/serviceAccounts/" + SA + ":generateAccessToken");
        assertThat(json.path("service_account_impersonation").path("token_lifetime_seconds").asLong()).isEqualTo(900);
        assertThat(credential.environment()).containsEntry("GOOGLE_APPLICATION_CREDENTIALS", config.toString())
                .containsEntry("CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", config.toString());
    }

    /** What the GitHub Action's container hands the provider: the workspace, the runner's name for it, the endpoint. */
    private GcpProvider forJob(Path workspace, Path workspaceOnRunner, CredentialsFileHost.CiTokenEndpoint endpoint) {
        return new GcpProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(3), Clock.systemUTC(),
                new CredentialsFileHost(workspace, workspaceOnRunner, "gha-creds-", true,
                        endpoint, "nothing refreshes it"));
    }

    private static final CredentialsFileHost.CiTokenEndpoint RUNNER_ENDPOINT = new CredentialsFileHost.CiTokenEndpoint(
            okhttp3.HttpUrl.get("https://pipelines.actions.githubusercontent.com/abc/00000000-0000-0000-0000-000000000000"
                    + "/_apis/distributedtask/hubs/Actions/plans/p/jobs/j/idtoken?api-version=2.0"), "runtime-token-canary");

    @Test
    void withTheRunnersEndpointTheFileReadsAFreshTokenFromItAsGoogleGithubActionsAuthWritesIt() throws Exception {
        EphemeralCredential credential = forJob(temp, temp, RUNNER_ENDPOINT).exchange(request(ci,
                params("service-account", SA, "credentials-file", true)));

        // One file: no copy of the five-minute CI token that nothing would refresh.
        assertThat(credential.files()).singleElement();
        JsonNode json = FakeGoogle.JSON.readTree(Files.readString(credential.files().get(0)));
        assertThat(json.path("type").asText()).isEqualTo("external_account");
        assertThat(json.path("audience").asText()).isEqualTo("//iam.googleapis.com/" + PROVIDER);
        assertThat(json.path("subject_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:jwt");
        assertThat(json.path("token_url").asText()).isEqualTo(base() + "/v1/token");
        JsonNode source = json.path("credential_source");
        assertThat(source.has("file")).isFalse();
        // The runner's URL keeps its api-version and gains the audience the exchange just used.
        assertThat(source.path("url").asText()).isEqualTo(RUNNER_ENDPOINT.url() + "&audience="
                + "https%3A%2F%2Fiam.googleapis.com%2F" + PROVIDER.replace("/", "%2F"));
        assertThat(okhttp3.HttpUrl.get(source.path("url").asText()).queryParameter("audience"))
                .isEqualTo("https://iam.googleapis.com/" + PROVIDER);
        assertThat(source.path("headers")).isEqualTo(FakeGoogle.JSON.createObjectNode()
                .put("Authorization", "Bearer runtime-token-canary"));
        assertThat(source.path("format")).isEqualTo(FakeGoogle.JSON.createObjectNode()
                .put("type", "json").put("subject_token_field_name", "value"));
        assertThat(json.path("service_account_impersonation_url").asText())
                .isEqualTo(base() + "/v1/projects/-/serviceAccounts/" + SA + ":generateAccessToken");
        assertThat(json.path("service_account_impersonation").path("token_lifetime_seconds").asLong()).isEqualTo(900);
        // The bearer is in the file, never in what a host prints.
        assertThat(credential.toString() + RUNNER_ENDPOINT + credential.values()).doesNotContain("runtime-token-canary");
    }

    @Test
    void forTheJobsLaterStepsTheFileIsInTheWorkspaceTheOwnersAndExportedUnderTheRunnersPath() throws Exception {
        Path workspaceOnRunner = Path.of("/home/runner/work/app/app");
        EphemeralCredential credential = forJob(temp, workspaceOnRunner, RUNNER_ENDPOINT).exchange(request(ci,
                params("service-account", SA, "credentials-file", true)));

        Path file = credential.files().get(0);
        assertThat(file.getParent()).isEqualTo(temp);
        assertThat(file.getFileName().toString()).matches("gha-creds-[0-9a-f]{16}\\.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(Files.getAttribute(temp, "unix:uid"));
        String exported = workspaceOnRunner.resolve(file.getFileName()).toString();
        assertThat(credential.environment()).containsEntry("GOOGLE_APPLICATION_CREDENTIALS", exported)
                .containsEntry("CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", exported);

        // A profile's own directory under the workspace moves with it; elsewhere, paths stay as written.
        Path sub = Files.createDirectories(temp.resolve("creds"));
        EphemeralCredential inSub = forJob(temp, workspaceOnRunner, RUNNER_ENDPOINT).exchange(request(ci,
                params("credentials-file", true, "credentials-dir", sub.toString())));
        assertThat(inSub.environment().get("GOOGLE_APPLICATION_CREDENTIALS"))
                .isEqualTo(workspaceOnRunner.resolve("creds").resolve(inSub.files().get(0).getFileName()).toString());
    }

    private static int processUid() {
        return (int) new UnixSystem().getUid();
    }

    @Test
    void asRootTheFileIsHandedToTheWorkspacesOwner() throws Exception {
        // The container's situation: root writes into a workspace the runner's user owns.
        Assumptions.assumeTrue(processUid() == 0, "only root can hand a file to another user");
        Path workspace = Files.createDirectories(temp.resolve("workspace"));
        Files.setAttribute(workspace, "unix:uid", 1001);
        Files.setAttribute(workspace, "unix:gid", 127);

        EphemeralCredential credential = forJob(workspace, workspace, RUNNER_ENDPOINT).exchange(request(ci,
                params("credentials-file", true)));
        Path file = credential.files().get(0);
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(1001);
        assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(127);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aProcessThatCannotHandTheFileToTheOwnerFailsAndLeavesNothing() throws Exception {
        // A world-writable directory someone else owns (/tmp, root's): the file could be written but not given away,
        // and a file the job's steps cannot read is worse than a clear failure.
        Path shared = Path.of("/tmp");
        Assumptions.assumeTrue(processUid() != 0 && Files.isWritable(shared)
                && !Files.getAttribute(shared, "unix:uid").equals(processUid()), "needs a non-root process");
        try (var before = Files.list(shared)) {
            long existing = before.filter(f -> f.getFileName().toString().startsWith("gha-creds-")).count();
            ProviderException e = catchThrowableOfType(ProviderException.class, () -> forJob(shared, shared,
                    RUNNER_ENDPOINT).exchange(request(ci, params("credentials-file", true))));
            assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
            assertThat(e.getMessage()).contains("for the job's later steps").contains("'credentials-file' to false")
                    .doesNotContain("runtime-token-canary");
            try (var after = Files.list(shared)) {
                assertThat(after.filter(f -> f.getFileName().toString().startsWith("gha-creds-")).count())
                        .isEqualTo(existing);
            }
        }
    }

    @Test
    void withoutAnEndpointTheFileNamesATokenFileAsBefore() throws Exception {
        EphemeralCredential credential = forJob(temp, temp, null).exchange(request(ci,
                params("credentials-file", true)));
        // Both under the job's one name pattern, so one ignore rule keeps them out of commits.
        assertThat(credential.files()).hasSize(2).allSatisfy(f -> {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
            assertThat(f.getFileName().toString()).startsWith("gha-creds-");
        });
        JsonNode source = FakeGoogle.JSON.readTree(Files.readString(credential.files().get(0))).path("credential_source");
        assertThat(source.path("file").asText()).isEqualTo(credential.files().get(1).toString());
        assertThat(Files.readString(credential.files().get(1))).isEqualTo(ci);
    }

    @Test
    void theCredentialsFileDefaultsToTheSystemTemporaryDirectory() throws IOException {
        EphemeralCredential credential = provider.exchange(request(ci, params("credentials-file", true,
                "export-access-token", false)));
        try {
            assertThat(credential.files()).allSatisfy(f -> assertThat(f.getParent())
                    .isEqualTo(Path.of(System.getProperty("java.io.tmpdir"))));
            assertThat(Files.readString(credential.files().get(0))).doesNotContain("service_account_impersonation");
            assertThat(credential.secrets()).isEmpty();
        } finally {
            for (Path f : credential.files()) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    void audienceMismatchSaysWhichAudienceToRequest() {
        String wrong = mint(SUB, "sts.amazonaws.com");
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(wrong, params())));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_TOKEN);
        assertThat(e.providerCode()).isEqualTo("invalid_grant");
        assertThat(e.getMessage()).contains("aud [sts.amazonaws.com]", "https://iam.googleapis.com/" + PROVIDER,
                "does not match the expected audience");
    }

    @Test
    void attributeConditionRefusalShowsTheClaimsTheConditionSaw() {
        google.attributeCondition = c -> "acme/other".equals(c.getClaim("repository"));
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci, params())));
        assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
        assertThat(e.providerCode()).isEqualTo("unauthorized_client");
        assertThat(e.getMessage()).contains("attribute condition", "repository=acme/app", "sub=" + SUB,
                "--workload-identity-pool=ci-pool");
    }

    @Test
    void unknownProviderIsAParameterError() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci,
                params("workload-identity-provider", PROVIDER.replace("github", "gitlab")))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.getMessage()).contains("does not exist, or it or its pool is disabled");
    }

    @Test
    void missingBindingNamesTheRoleAndThePrincipalToGrant() {
        google.workloadIdentityUsers.put(SA, Set.of());
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.exchange(request(ci, params("service-account", SA))));
        assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
        assertThat(e.providerCode()).isEqualTo("PERMISSION_DENIED");
        assertThat(e.getMessage()).contains("roles/iam.workloadIdentityUser", "--member=\"" + PRINCIPAL + "\"",
                "add-iam-policy-binding " + SA, "Permission 'iam.serviceAccounts.getAccessToken' denied");
    }

    @Test
    void unknownServiceAccountIsAParameterError() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci,
                params("service-account", "nobody@my-project.iam.gserviceaccount.com"))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.getMessage()).contains("nobody@my-project.iam.gserviceaccount.com does not exist");
    }

    @Test
    void aLifetimeAboveAnHourRefusedByGoogleNamesTheOrgPolicy() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci,
                params("service-account", SA), Map.of(), Duration.ofHours(2))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.getMessage()).contains("7200s", "constraints/iam.allowServiceAccountCredentialLifetimeExtension");
    }

    @Test
    void unavailableAndThrottledAnswersAreRetried() {
        google.failures = 2;
        provider.exchange(request(ci, params()));
        assertThat(google.requests).hasSize(3);
        google.requests.clear();
        google.failures = 2;
        google.failureStatus = 429;
        provider.exchange(request(ci, params("service-account", SA)));
        assertThat(google.requests).hasSize(4);
        google.failures = 9;
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci, params())));
        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(e.getMessage()).contains("HTTP 429", "RESOURCE_EXHAUSTED");
    }

    @Test
    void badInputIsRefusedBeforeAnyCallWithWhatIsWrong() {
        String p = "projects/123456789012/locations/global/workloadIdentityPools/";
        assertBad(params("workload-identity-provider", "projects/my-project/locations/global/workloadIdentityPools/"
                + "ci-pool/providers/github"), "'my-project' is a project ID", "project NUMBER");
        assertBad(params("workload-identity-provider", "projects/123456789012/locations/us-east1/workloadIdentityPools/"
                + "ci-pool/providers/github"), "location is 'us-east1'", "'global'");
        assertBad(params("workload-identity-provider", p + "CI_Pool/providers/github"), "pool ID 'CI_Pool'");
        assertBad(params("workload-identity-provider", p + "gcp-pool/providers/github"), "pool ID 'gcp-pool'");
        assertBad(params("workload-identity-provider", p + "ci-pool/providers/gh"), "provider ID 'gh'");
        assertBad(params("workload-identity-provider", p + "ci-pool"), "does not have the shape");
        assertBad(params("workload-identity-provider", "https://iam.googleapis.com/" + PROVIDER),
                "CI token's audience form", PROVIDER);
        assertBad(params("service-account", "deployer"), "not a service account email");
        assertBad(params("service-account", "deployer@example.com"), "not a service account email");
        assertBad(params("service-account", "projects/-/serviceAccounts/" + SA), "is a resource name");
        assertBad(params("delegates", List.of("hop@p-123.iam.gserviceaccount.com")), "needs 'service-account'");
        assertBad(params("service-account", SA, "delegates", List.of("not-an-email")), "'delegates' entry");
        assertBad(params("sts-endpoint", "http://sts.example.com/v1/token"), "uses http");
        assertBad(params("iamcredentials-endpoint", "not a url"), "is not a URL");
        assertBad(params("credentials-file", true, "credentials-dir", temp.resolve("missing").toString()),
                "is not a directory");
        assertBad(params("export-access-token", false), "would hand out nothing");
        assertBad(params("audience", "x"), "unknown parameter(s) [audience]");
        ProviderException tooLong = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci,
                params("service-account", SA), Map.of(), Duration.ofHours(13))));
        assertThat(tooLong.getMessage()).contains("lifetime PT13H is out of range", "1 second to 12 hours");
        ProviderException zero = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci,
                params("service-account", SA), Map.of(), Duration.ZERO)));
        assertThat(zero.getMessage()).contains("out of range");
        ProviderException scope = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci,
                params(), Map.of("scopes", "cloud-platform"), Duration.ofMinutes(5))));
        assertThat(scope.getMessage()).contains("scope 'cloud-platform' is not a Google OAuth scope");
        assertThat(google.requests).isEmpty();
    }

    @Test
    void revocationsOfOtherProvidersAreRefused() {
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.revoke(new Revocation("vault", "vault-token", Map.of())));
        assertThat(e.getMessage()).contains("gcp issues no revocations");
    }

    @Test
    void canariesNeverReachMessagesOrToString() {
        EphemeralCredential credential = provider.exchange(request(ci, params("service-account", SA,
                "credentials-file", true, "credentials-dir", temp.toString())));
        String text = credential + " " + credential.revocations() + " " + credential.values();
        assertThat(google.issued).hasSize(2).allSatisfy(t -> assertThat(text).doesNotContain(t));
        assertThat(text).doesNotContain(ci);

        google.echoTokens = true;
        String wrong = mint(SUB, "canary-audience");
        ProviderException sts = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(wrong, params())));
        assertThat(sts.getMessage()).doesNotContain(wrong).contains("****");
        google.workloadIdentityUsers.put(SA, Set.of());
        ProviderException iam = catchThrowableOfType(ProviderException.class,
                () -> provider.exchange(request(ci, params("service-account", SA))));
        assertThat(google.issued).allSatisfy(t -> {
            assertThat(iam.getMessage()).doesNotContain(t);
            assertThat(sts.getMessage()).doesNotContain(t);
        });
        assertThat(iam.getMessage()).doesNotContain(ci).contains("Credential: ****");
    }

    private void assertBad(Map<String, Object> parameters, String... fragments) {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci, parameters)));
        assertThat(e).as("parameters %s", parameters).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.getMessage()).startsWith("gcp: ").contains(fragments);
    }
}
