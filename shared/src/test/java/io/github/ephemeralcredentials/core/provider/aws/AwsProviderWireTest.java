package io.github.ephemeralcredentials.core.provider.aws;

import static io.github.ephemeralcredentials.core.provider.aws.StsWire.xml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The AWS provider against a fake STS that answers in the documented wire format (see {@link StsWire} for the
 * sources). What a real STS does with the request is proven by the Ceph RadosGW peer suite.
 */
class AwsProviderWireTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/deploy";
    private static final String TOKEN = "eyJ.ci-token.sig";
    private static final Instant EXP = Instant.now().plus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.SECONDS);
    private static final Claims CLAIMS = Claims.of(Map.of("iss", "https://token.actions.githubusercontent.com",
            "sub", "repo:acme/app:ref:refs/heads/main", "repository", "acme/app", "run_id", "42", "run_attempt", "1"));

    private final MockWebServer sts = new MockWebServer();
    @TempDir
    Path dir;
    private AwsProvider provider;

    @BeforeEach
    void start() throws Exception {
        sts.start(InetAddress.getLoopbackAddress(), 0);
        provider = new AwsProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(3), dir);
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    private ExchangeRequest request(Map<String, Object> extra, Map<String, Object> scope, Duration lifetime) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("role-arn", ROLE);
        parameters.put("endpoint", sts.url("/").toString());
        parameters.putAll(extra);
        return new ExchangeRequest(() -> TOKEN, CLAIMS, parameters, scope, lifetime);
    }

    private ExchangeRequest request() {
        return request(Map.of(), Map.of(), Duration.ofMinutes(30));
    }

    private static Map<String, String> form(RecordedRequest r) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : r.getBody().utf8().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return form;
    }

    @Test
    void theProfileOwnerPrefixesTheSessionNameUnlessTheProfileGivesOne() throws Exception {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAEXAMPLE", "s", "t", EXP)));
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAEXAMPLE", "s", "t", EXP)));
        Map<String, Object> parameters = Map.of("role-arn", ROLE, "endpoint", sts.url("/").toString());

        provider.exchange(new ExchangeRequest(() -> TOKEN, CLAIMS, parameters, Map.of(), Duration.ofMinutes(30), "payments"));
        Map<String, Object> explicit = new LinkedHashMap<>(parameters);
        explicit.put("session-name-prefix", "release");
        provider.exchange(new ExchangeRequest(() -> TOKEN, CLAIMS, explicit, Map.of(), Duration.ofMinutes(30), "payments"));

        assertThat(form(sts.takeRequest())).containsEntry("RoleSessionName", "payments@acme-app-42-1");
        assertThat(form(sts.takeRequest())).containsEntry("RoleSessionName", "release@acme-app-42-1");
    }

    @Test
    void aWholeSessionNameIsSentAsGivenAndAnInvalidOneIsRefusedBeforeTheCall() throws Exception {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAEXAMPLE", "s", "t", EXP)));
        provider.exchange(request(Map.of("session-name", "GitHubActions"), Map.of(), Duration.ofMinutes(30)));
        assertThat(form(sts.takeRequest())).containsEntry("RoleSessionName", "GitHubActions");

        assertThatThrownBy(() -> provider.exchange(request(Map.of("session-name", "two words"), Map.of(),
                Duration.ofMinutes(30)))).isInstanceOf(ProviderException.class)
                .hasMessageContaining("parameter 'session-name' is 'two words'").hasMessageContaining("2 to 64");
        assertThat(sts.getRequestCount()).isEqualTo(1);
    }

    @Test
    void sendsTheDocumentedUnsignedFormAndExportsTheCredentials() throws Exception {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAEXAMPLE", "secret/key+1", "session-token-1", EXP)));
        String policy = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"read only\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}";

        EphemeralCredential c = provider.exchange(request(Map.of("region", "eu-west-1", "session-name-prefix", "platform"),
                Map.of("session-policy", policy, "policy-arns", List.of("arn:aws:iam::aws:policy/ReadOnlyAccess",
                        "arn:aws:iam::123456789012:policy/team/boundary")), Duration.ofMinutes(30)));

        RecordedRequest r = sts.takeRequest();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/x-www-form-urlencoded; charset=utf-8");
        assertThat(r.getHeaders().get("Authorization")).isNull();
        assertThat(r.getBody().utf8()).contains("read%20only").doesNotContain("+");
        assertThat(form(r)).containsExactly(
                Map.entry("Action", "AssumeRoleWithWebIdentity"),
                Map.entry("Version", "2011-06-15"),
                Map.entry("RoleArn", ROLE),
                Map.entry("RoleSessionName", "platform@acme-app-42-1"),
                Map.entry("DurationSeconds", "1800"),
                Map.entry("Policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"read only\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"),
                Map.entry("PolicyArns.member.1.arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
                Map.entry("PolicyArns.member.2.arn", "arn:aws:iam::123456789012:policy/team/boundary"),
                Map.entry("WebIdentityToken", TOKEN));

        assertThat(c.provider()).isEqualTo("aws");
        assertThat(c.environment()).containsExactly(
                Map.entry("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"),
                Map.entry("AWS_SECRET_ACCESS_KEY", "secret/key+1"),
                Map.entry("AWS_SESSION_TOKEN", "session-token-1"),
                Map.entry("AWS_REGION", "eu-west-1"),
                Map.entry("AWS_DEFAULT_REGION", "eu-west-1"));
        assertThat(c.secrets()).containsExactly("ASIAEXAMPLE", "secret/key+1", "session-token-1");
        assertThat(c.facts()).containsEntry("aws-account-id", "123456789012")
                .containsEntry("authenticated-arn", "arn:aws:sts::123456789012:assumed-role/deploy/acme-app-42-1")
                .containsEntry("principal", "AROACLKWSDQRAOEXAMPLE:acme-app-42-1")
                .containsEntry("session-name", "platform@acme-app-42-1")
                .containsEntry("expiration", EXP.toString());
        assertThat(c.expiresAt()).isEqualTo(EXP);
        assertThat(c.revocations()).isEmpty();
        assertThat(c.files()).isEmpty();
        assertThat(c.toString()).doesNotContain("secret/key+1").doesNotContain("session-token-1");
    }

    @Test
    void readsCephsAnswerToo() {
        sts.enqueue(xml(200, StsWire.cephWebIdentitySuccess("AKCEPH", "s", "t", EXP)));
        EphemeralCredential c = provider.exchange(request());
        assertThat(c.value("aws-access-key-id")).map(CredentialValue::value).contains("AKCEPH");
        assertThat(c.facts()).doesNotContainKey("aws-account-id")
                .containsEntry("principal", "0cef8d99-5081-487b-8f2b-fc4b45f12539:s1")
                .containsEntry("authenticated-arn", "arn:aws:sts:::assumed-role/ci-role/s1");
    }

    @ParameterizedTest(name = "{1} (HTTP {0}) -> {2}")
    @CsvSource({
            "403, AccessDenied, ACCESS_DENIED, trust policy",
            "400, InvalidIdentityToken, INVALID_TOKEN, IAM OIDC provider",
            "403, IDPRejectedClaim, INVALID_TOKEN, rejected a claim",
            "400, ExpiredTokenException, INVALID_TOKEN, expired before STS saw it",
            "400, MalformedPolicyDocument, INVALID_SCOPE, 'session-policy'",
            "400, PackedPolicyTooLarge, INVALID_SCOPE, managed policy",
            "403, RegionDisabledException, INVALID_PARAMETERS, Activate STS",
            "400, ValidationError, INVALID_PARAMETERS, maximum session duration",
            "400, SomethingNew, UNEXPECTED_RESPONSE, documentation",
    })
    void mapsStsErrorsToReasonsWithoutRetrying(int status, String code, Reason reason, String advice) {
        sts.enqueue(xml(status, StsWire.stsError("Sender", code, "STS says no")));
        assertThatThrownBy(() -> provider.exchange(request()))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.providerCode()).isEqualTo(code);
                    assertThat(e.provider()).isEqualTo("aws");
                })
                .hasMessageContaining(code + ": STS says no (request id 8d5a3bbc-6b4f-4d1e-9b1c-EXAMPLE)")
                .hasMessageContaining(advice);
        assertThat(sts.getRequestCount()).isEqualTo(1);
    }

    @Test
    void mapsCephsS3StyleDenial() {
        sts.enqueue(xml(403, StsWire.s3Error("AccessDenied", "")));
        assertThatThrownBy(() -> provider.exchange(request()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED))
                .hasMessageContaining("AccessDenied (request id tx0000086f5b2bd4e0a-0065-default)");
    }

    @Test
    void retriesIdpCommunicationErrorAndThrottling() {
        sts.enqueue(xml(400, StsWire.stsError("Sender", "IDPCommunicationError", "could not reach the IdP")));
        sts.enqueue(xml(400, StsWire.stsError("Sender", "Throttling", "Rate exceeded")));
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIA2", "s", "t", EXP)));
        assertThat(provider.exchange(request()).value("aws-access-key-id")).map(CredentialValue::value).contains("ASIA2");
        assertThat(sts.getRequestCount()).isEqualTo(3);
    }

    @Test
    void givesUpOnPersistentOutagesWithUnavailable() {
        for (int i = 0; i < 3; i++) {
            sts.enqueue(new MockResponse.Builder().code(503).body("<html>Service Unavailable</html>").build());
        }
        assertThatThrownBy(() -> provider.exchange(request()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
                .hasMessageContaining("HTTP 503");
        assertThat(sts.getRequestCount()).isEqualTo(3);
    }

    @Test
    void refusesSomethingThatIsNotStsXml() {
        sts.enqueue(new MockResponse.Builder().code(200).body("<html>login page</html>").build());
        assertThatThrownBy(() -> provider.exchange(request()))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE))
                .hasMessageContaining("not with STS XML");
        sts.enqueue(new MockResponse.Builder().code(200).body("x".repeat((int) StsClient.MAX_BODY + 10)).build());
        assertThatThrownBy(() -> provider.exchange(request())).hasMessageContaining("more than 65536 bytes");
    }

    @Test
    void chainsIntoASecondRoleWithASigV4SignedAssumeRole() throws Exception {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAFIRST", "first-secret", "first-token", EXP)));
        sts.enqueue(xml(200, StsWire.assumeRoleSuccess("ASIASECOND", "second-secret", "second-token", EXP)));

        EphemeralCredential c = provider.exchange(request(
                Map.of("chain-role-arn", "arn:aws:iam::210987654321:role/target", "region", "eu-west-1"),
                Map.of("policy-arns", List.of("arn:aws:iam::aws:policy/ReadOnlyAccess")), Duration.ofHours(2)));

        Map<String, String> first = form(sts.takeRequest());
        assertThat(first).containsEntry("DurationSeconds", "900").doesNotContainKey("PolicyArns.member.1.arn");
        RecordedRequest second = sts.takeRequest();
        assertThat(form(second)).containsExactly(
                Map.entry("Action", "AssumeRole"),
                Map.entry("Version", "2011-06-15"),
                Map.entry("RoleArn", "arn:aws:iam::210987654321:role/target"),
                Map.entry("RoleSessionName", "acme-app-42-1"),
                Map.entry("DurationSeconds", "3600"),
                Map.entry("PolicyArns.member.1.arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
        String authorization = second.getHeaders().get("Authorization");
        assertThat(authorization).matches("AWS4-HMAC-SHA256 Credential=ASIAFIRST/\\d{8}/eu-west-1/sts/aws4_request, "
                + "SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}");
        assertThat(authorization).contains("x-amz-date").contains("x-amz-security-token");
        assertThat(second.getHeaders().get("X-Amz-Security-Token")).isEqualTo("first-token");
        assertThat(c.environment()).containsEntry("AWS_ACCESS_KEY_ID", "ASIASECOND")
                .containsEntry("AWS_SECRET_ACCESS_KEY", "second-secret");
        assertThat(c.facts()).containsEntry("aws-account-id", "210987654321");
    }

    @Test
    void writesAPrivateCredentialsFileOutsideTheWorkspaceListedForCleanup() throws Exception {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAF", "file-secret", "file-token", EXP)));
        EphemeralCredential c = provider.exchange(request(Map.of("credentials-file", true, "credentials-profile", "ci"),
                Map.of(), Duration.ofMinutes(15)));
        assertThat(c.files()).hasSize(1);
        Path file = c.files().get(0);
        assertThat(file.getParent()).isEqualTo(dir);
        assertThat(Files.readString(file)).isEqualTo("[ci]\naws_access_key_id = ASIAF\n"
                + "aws_secret_access_key = file-secret\naws_session_token = file-token\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(c.environment()).containsEntry("AWS_SHARED_CREDENTIALS_FILE", file.toString())
                .containsEntry("AWS_PROFILE", "ci");
    }

    @Test
    void webIdentityTokenFileModeLeavesRefreshingToTheSdks() throws Exception {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAP", "probe-secret", "probe-token", EXP)));
        Path tokenFile = dir.resolve("nested/token");
        EphemeralCredential c = provider.exchange(request(
                Map.of("web-identity-token-file", tokenFile.toString(), "region", "us-east-2"), Map.of(),
                Duration.ofHours(1)));
        assertThat(Files.readString(tokenFile)).isEqualTo(TOKEN);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(c.environment()).containsEntry("AWS_ROLE_ARN", ROLE)
                .containsEntry("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString())
                .containsEntry("AWS_ROLE_SESSION_NAME", "acme-app-42-1")
                .containsEntry("AWS_ENDPOINT_URL_STS", sts.url("/").toString())
                .doesNotContainKey("AWS_ACCESS_KEY_ID").doesNotContainKey("AWS_SECRET_ACCESS_KEY");
        assertThat(c.environment().values()).doesNotContain("probe-secret", "probe-token", TOKEN);
        assertThat(c.secrets()).containsExactly(TOKEN);
        assertThat(c.files()).containsExactly(tokenFile);
    }

    /** What the GitHub Action's container hands the provider: the workspace and the runner's name for it. */
    private AwsProvider forJob(Path workspace) {
        return new AwsProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(3),
                new CredentialsFileHost(workspace, ON_RUNNER, "gha-creds-", true, null,
                        "nothing rewrites it during the job"));
    }

    private static final Path ON_RUNNER = Path.of("/home/runner/work/app/app");

    @Test
    void forTheJobsLaterStepsTheCredentialsFileIsInTheWorkspaceTheOwnersAndExportedUnderTheRunnersPath()
            throws Exception {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAJ", "job-secret", "job-token", EXP)));
        EphemeralCredential c = forJob(dir).exchange(request(Map.of("credentials-file", true), Map.of(),
                Duration.ofMinutes(15)));

        Path file = c.files().get(0);
        assertThat(c.files()).singleElement();
        assertThat(file.getParent()).isEqualTo(dir);
        assertThat(file.getFileName().toString()).matches("gha-creds-[0-9a-f]{16}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(Files.getAttribute(dir, "unix:uid"));
        assertThat(Files.readString(file)).contains("aws_secret_access_key = job-secret");
        String exported = ON_RUNNER.resolve(file.getFileName()).toString();
        assertThat(c.environment()).containsEntry("AWS_SHARED_CREDENTIALS_FILE", exported);
        assertThat(c.values()).filteredOn(v -> v.name().equals("aws-shared-credentials-file"))
                .singleElement().satisfies(v -> assertThat(v.value()).isEqualTo(exported));

        // A path the profile names under the workspace moves with it; elsewhere it stays as written.
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAJ", "job-secret", "job-token", EXP)));
        Path named = dir.resolve("ci/credentials");
        EphemeralCredential inWorkspace = forJob(dir).exchange(request(Map.of("credentials-file", named.toString()),
                Map.of(), Duration.ofMinutes(15)));
        assertThat(inWorkspace.files()).containsExactly(named);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(named))).isEqualTo("rw-------");
        assertThat(inWorkspace.environment()).containsEntry("AWS_SHARED_CREDENTIALS_FILE",
                ON_RUNNER.resolve("ci/credentials").toString());
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAJ", "job-secret", "job-token", EXP)));
        EphemeralCredential notMoved = forJob(dir.resolve("workspace-only")).exchange(request(
                Map.of("credentials-file", outside.resolve("c").toString()), Map.of(), Duration.ofMinutes(15)));
        assertThat(notMoved.environment()).containsEntry("AWS_SHARED_CREDENTIALS_FILE", outside.resolve("c").toString());
    }

    @Test
    void whereNothingKeepsATokenFileFreshWebIdentityTokenFileIsRefusedBeforeStsIsCalled() {
        for (Object value : List.of(true, dir.resolve("token").toString())) {
            assertThatThrownBy(() -> forJob(dir).exchange(request(Map.of("web-identity-token-file", value),
                    Map.of(), Duration.ofMinutes(15))))
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason())
                            .isEqualTo(Reason.INVALID_PARAMETERS))
                    .hasMessageContaining("parameter 'web-identity-token-file' is refused here: nothing rewrites it")
                    .hasMessageContaining("'credentials-file: true'")
                    .hasMessageNotContaining(TOKEN);
        }
        assertThat(sts.getRequestCount()).isZero();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void capsTheDurationAtStsMaximum() throws Exception {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("A", "s", "t", EXP)));
        provider.exchange(request(Map.of(), Map.of(), Duration.ofHours(24)));
        assertThat(form(sts.takeRequest())).containsEntry("DurationSeconds", "43200");
    }
}
