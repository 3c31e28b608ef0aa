package io.github.ephemeralcredentials.core.provider.github;

import static io.github.ephemeralcredentials.core.provider.CiTokens.map;
import static io.github.ephemeralcredentials.core.provider.CiTokens.mint;
import static io.github.ephemeralcredentials.core.provider.CiTokens.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GitHub App provider through hub4j against {@link FakeGitHub}, whose requests and responses are validated
 * against GitHub's published OpenAPI description (npm {@code @octokit/openapi}, excerpt in test resources). The App
 * key is written as GitHub issues it (PKCS#1 PEM, by BouncyCastle's PEM writer) and as PKCS#8.
 */
class GitHubAppProviderTest {

    static final long APP_ID = 424242;
    static KeyPair appKeys;
    static String pkcs1;

    private final String ci = mint("repo:acme/app:ref:refs/heads/main", "https://github.com/acme");
    /** The host's secrets, as a Jenkins credential binding or the service's environment would hold them. */
    private final Map<String, String> secrets = new java.util.HashMap<>();
    private final GitHubAppProvider provider = new GitHubAppProvider(HttpClients.create(HttpSettings.DEFAULT),
            Retries.immediate(3), secrets::get, Clock.systemUTC());
    private MockWebServer server;
    private FakeGitHub github;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        appKeys = generator.generateKeyPair();
        pkcs1 = pem(appKeys.getPrivate());
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    }

    @BeforeEach
    void start() throws IOException {
        github = new FakeGitHub(APP_ID, (RSAPublicKey) appKeys.getPublic());
        github.installations.put("acme", new FakeGitHub.Installation(7001, "acme",
                Map.of("contents", "read", "metadata", "read", "issues", "write"), false, Set.of("app", "lib")));
        server = new MockWebServer();
        server.setDispatcher(github);
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.close();
        assertThat(github.violations).as("requests and responses must follow GitHub's OpenAPI description").isEmpty();
    }

    private String apiUrl() {
        return "http://127.0.0.1:" + server.getPort() + "/api/v3";
    }

    private Map<String, Object> params(Object... extra) {
        Map<String, Object> p = map("app-id", String.valueOf(APP_ID), "private-key", pkcs1, "owner", "acme",
                "api-url", apiUrl());
        p.putAll(map(extra));
        // Tests name the key's text; the provider reads it from the host's secrets under the name the profile gives.
        secrets.put("GITHUB_APP_PRIVATE_KEY", (String) p.remove("private-key"));
        p.put("private-key-env", "GITHUB_APP_PRIVATE_KEY");
        return p;
    }

    @Test
    void refusesTheAppKeyWrittenIntoThePolicy() {
        Map<String, Object> inline = map("app-id", String.valueOf(APP_ID), "private-key", pkcs1, "owner", "acme");
        assertThatThrownBy(() -> exchange(inline, Map.of()))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ProviderException.Reason.INVALID_PARAMETERS);
                    assertThat(e.getMessage()).contains("'private-key-env'").doesNotContain(pkcs1.split("\n")[3]);
                });
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void saysWhenTheNamedKeyIsNotThere() {
        Map<String, Object> p = params();
        p.put("private-key-env", "NOT_BOUND");
        assertThatThrownBy(() -> exchange(p, Map.of())).hasMessageContaining("'NOT_BOUND'").hasMessageContaining("bind");
    }

    private EphemeralCredential exchange(Map<String, Object> parameters, Map<String, Object> scope) {
        return provider.exchange(request(ci, parameters, scope, Duration.ofMinutes(15)));
    }

    @Test
    void createsATokenRestrictedToTheListedRepositoriesAndPermissions() throws Exception {
        Instant before = Instant.now();
        EphemeralCredential credential = exchange(params(), map("repositories", List.of("app"),
                "permissions", map("contents", "read")));

        assertThat(github.requests).extracting(r -> r.getMethod() + " " + r.getUrl().encodedPath()).containsExactly(
                "GET /api/v3/app", "GET /api/v3/repos/acme/app/installation",
                "POST /api/v3/app/installations/7001/access_tokens");
        JsonNode body = GitHubOpenApi.JSON.readTree(github.requests.get(2).getBody().utf8());
        assertThat(body).isEqualTo(GitHubOpenApi.JSON.readTree("{\"repositories\":[\"app\"],\"permissions\":{\"contents\":\"read\"}}"));

        JWTClaimsSet jwt = SignedJWT.parse(github.requests.get(0).getHeaders().get("Authorization").substring(7)).getJWTClaimsSet();
        assertThat(jwt.getIssuer()).isEqualTo(String.valueOf(APP_ID));
        assertThat(jwt.getIssueTime().toInstant()).isBetween(before.minusSeconds(61), Instant.now().minusSeconds(59));
        assertThat(Duration.between(jwt.getIssueTime().toInstant(), jwt.getExpirationTime().toInstant()))
                .isLessThanOrEqualTo(Duration.ofMinutes(10));

        String token = github.issued.get(0);
        assertThat(credential.environment()).containsExactly(Map.entry("GITHUB_TOKEN", token), Map.entry("GH_TOKEN", token));
        assertThat(credential.secrets()).containsOnly(token);
        assertThat(credential.facts()).containsEntry("permissions", "contents:read")
                .containsEntry("repository-selection", "selected").containsEntry("repositories", "acme/app")
                .containsEntry("owner", "acme");
        assertThat(credential.expiresAt()).isBetween(before.plusSeconds(3598), Instant.now().plusSeconds(3601));
        assertThat(credential.facts()).containsEntry("expiration", credential.expiresAt().toString());
    }

    @Test
    void findsTheInstallationThroughTheOrganizationWhenNoRepositoryIsListed() {
        EphemeralCredential credential = exchange(params(), Map.of());
        assertThat(github.requests.get(1).getUrl().encodedPath()).isEqualTo("/api/v3/orgs/acme/installation");
        assertThat(github.requests.get(2).getBody().utf8()).isIn("", "{}");
        assertThat(credential.facts().get("permissions")).isEqualTo("contents:read,issues:write,metadata:read");
    }

    @Test
    void readsAPkcs8KeyAndALiteralBackslashNKey() {
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(appKeys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        exchange(params("private-key", pkcs8), Map.of("repositories", List.of("acme/lib")));
        exchange(params("private-key", pkcs1.replace("\n", "\\n")), Map.of());
        assertThat(github.issued).hasSize(2);
    }

    @Test
    void revokesTheTokenWithItselfAndRevokingTwiceIsNoError() {
        EphemeralCredential credential = exchange(params(), Map.of("repositories", List.of("app")));
        Revocation revocation = credential.revocations().get(0);
        github.requests.clear();
        provider.revoke(revocation);

        RecordedRequest delete = github.requests.get(0);
        assertThat(delete.getMethod()).isEqualTo("DELETE");
        assertThat(delete.getUrl().encodedPath()).isEqualTo("/api/v3/installation/token");
        assertThat(delete.getHeaders().get("Authorization")).isEqualTo("Bearer " + github.issued.get(0));
        assertThat(delete.getHeaders().get("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        assertThat(github.liveTokens).isEmpty();
        provider.revoke(revocation);
    }

    @Test
    void anAppNotInstalledOnTheRepositorySaysWhereToInstallIt() {
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> exchange(params(), Map.of("repositories", List.of("other"))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.providerCode()).isEqualTo("not_installed");
        assertThat(e.getMessage()).contains("not installed on acme/other", "https://github.com/apps/ec-ci/installations/new");
        ProviderException org = catchThrowableOfType(ProviderException.class,
                () -> exchange(params("owner", "globex"), Map.of()));
        assertThat(org.getMessage()).contains("not installed on globex");
    }

    @Test
    void askingMoreThanTheInstallationHasIsAScopeErrorNamingTheGap() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange(params(),
                map("repositories", List.of("app"), "permissions", map("contents", "write", "metadata", "read"))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_SCOPE);
        assertThat(e.providerCode()).isEqualTo("422");
        assertThat(e.getMessage()).contains("{contents=write (installation has read)}",
                "grants {contents=read, issues=write, metadata=read}", "lower 'permissions'",
                "The permissions requested are not granted to this installation.");
        assertThat(github.liveTokens).isEmpty();
    }

    @Test
    void aRepositoryOutsideTheInstallationsSelectionIsNamed() {
        github.installations.put("acme", new FakeGitHub.Installation(7001, "acme", Map.of("contents", "read"), false,
                Set.of("app")));
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange(params(),
                map("repositories", List.of("app", "secret-repo"), "permissions", map("contents", "read"))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_SCOPE);
        assertThat(e.getMessage()).contains("a repository in [app, secret-repo] is probably not among the installation's");
    }

    @Test
    void aKeyThatIsNotTheAppsIsRefusedWithWhatToCheck() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> exchange(params("private-key", pem(generator.generateKeyPair().getPrivate())), Map.of()));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.getMessage()).contains("refused the App JWT (HTTP 401)", "'app-id'", "'private-key-env'",
                "A JSON web token could not be decoded");
    }

    @Test
    void anUnavailableGitHubIsRetried() {
        github.unavailableFor = 2;
        exchange(params(), Map.of());
        assertThat(github.issued).hasSize(1);
        github.unavailableFor = 9;
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange(params(), Map.of()));
        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(e.getMessage()).contains("HTTP 503");
    }

    @Test
    void badInputIsRefusedBeforeAnyCallWithWhatIsWrong() throws Exception {
        assertBad(params("private-key", "not a key"), "is not a PEM key", "BEGIN RSA PRIVATE KEY");
        assertBad(params("private-key", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"),
                "PEM 'CERTIFICATE', not an RSA private key");
        assertBad(params("private-key", "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----"),
                "decrypt it first");
        assertBad(params("private-key", pkcs1.substring(0, 200)), "has no '-----END RSA PRIVATE KEY-----' line");
        assertBad(params("private-key", "-----BEGIN RSA PRIVATE KEY-----\n%%%%\n-----END RSA PRIVATE KEY-----"),
                "base64 body does not decode");
        assertBad(params("private-key", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"),
                "not a readable RSA private key");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        String ecPkcs8 = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                ec.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----";
        assertBad(params("private-key", ecPkcs8), "not a readable RSA private key", "RS256");
        assertBad(params("app-id", "my-app"), "neither an App ID");
        assertBad(params("owner", "-acme"), "not a GitHub organization or user name");
        assertBad(params("api-url", "https://github.example.com"), "https://github.example.com/api/v3");
        assertBad(params("api-url", "https://github.com"), "is a web address");
        assertBad(params("api-url", "http://github.example.com/api/v3"), "uses http");
        assertBad(params("installation", "1"), "unknown parameter(s) [installation]");
        assertBadScope(map("permissions", map("contents", "maybe")), "'maybe' is not a level");
        assertBadScope(map("permissions", map("Contents!", "read")), "not a GitHub App permission name");
        assertBadScope(map("permissions", "contents:read"), "'permissions' must be a map");
        assertBadScope(map("repositories", List.of("globex/app")), "not under owner 'acme'");
        assertBadScope(map("repositories", List.of("..")), "not a repository name");
        assertBadScope(map("repos", List.of("app")), "unknown scope entry(s) [repos]");
        assertThat(github.requests).isEmpty();
    }

    @Test
    void revocationsOfOtherProvidersAreRefused() {
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.revoke(new Revocation("vault", "vault-token", Map.of())));
        assertThat(e.getMessage()).contains("belongs to another provider");
    }

    @Test
    void canariesNeverReachMessagesOrToString() {
        EphemeralCredential credential = exchange(params(), Map.of("repositories", List.of("app")));
        String token = github.issued.get(0);
        assertThat(token).startsWith("canary-");
        assertThat(credential + " " + credential.revocations() + " " + credential.values()).doesNotContain(token);
        provider.revoke(credential.revocations().get(0));

        ProviderException scope = catchThrowableOfType(ProviderException.class, () -> exchange(params(),
                map("permissions", map("contents", "write"))));
        ProviderException installation = catchThrowableOfType(ProviderException.class,
                () -> exchange(params(), Map.of("repositories", List.of("other"))));
        String canaryKey = "-----BEGIN RSA PRIVATE KEY-----\ncanary-" + UUID.randomUUID()
                + "\n-----END RSA PRIVATE KEY-----";
        ProviderException key = catchThrowableOfType(ProviderException.class,
                () -> exchange(params("private-key", canaryKey), Map.of()));
        for (ProviderException e : List.of(scope, installation, key)) {
            assertThat(e.getMessage()).doesNotContain(token).doesNotContain("canary-").doesNotContain(ci)
                    .doesNotContain(pkcs1.substring(40, 100));
        }
    }

    private void assertBad(Map<String, Object> parameters, String... fragments) {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange(parameters, Map.of()));
        assertThat(e).as("parameters %s", parameters.keySet()).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.getMessage()).startsWith("github-app: ").contains(fragments);
    }

    private void assertBadScope(Map<String, Object> scope, String... fragments) {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange(params(), scope));
        assertThat(e).as("scope %s", scope).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.getMessage()).startsWith("github-app: ").contains(fragments);
    }

    private static String pem(java.security.PrivateKey key) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(key);
        }
        return out.toString();
    }
}
