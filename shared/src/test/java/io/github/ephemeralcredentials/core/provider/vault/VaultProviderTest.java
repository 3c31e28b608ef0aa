package io.github.ephemeralcredentials.core.provider.vault;

import static io.github.ephemeralcredentials.core.provider.CiTokens.map;
import static io.github.ephemeralcredentials.core.provider.CiTokens.mint;
import static io.github.ephemeralcredentials.core.provider.CiTokens.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Vault JWT login, secret reads and revocation on the wire, against {@link FakeVault}, which follows HashiCorp's
 * published API reference (JWT auth login, KV v2 read, sys/leases revoke, token revoke-self) because no Vault can
 * run here. Request bodies and headers are asserted as those pages document them.
 */
class VaultProviderTest {

    private final MockWebServer server = new MockWebServer();
    private final FakeVault vault = new FakeVault("");
    private final VaultProvider provider = new VaultProvider(HttpClients.create(HttpSettings.DEFAULT),
            Retries.immediate(3), Clock.systemUTC());
    private final String ci = mint("repo:acme/app:ref:refs/heads/main", "https://vault.example.com");

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(vault);
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String address() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private Map<String, Object> params(Object... extra) {
        Map<String, Object> p = map("address", address(), "role", "ci");
        p.putAll(map(extra));
        return p;
    }

    @Test
    void logsInWithRoleAndJwtAndNamespaceAndExportsTheToken() throws Exception {
        vault.namespace = "admin/team-a";
        Instant before = Instant.now();
        EphemeralCredential credential = provider.exchange(request(ci, params("namespace", "admin/team-a")));

        RecordedRequest login = vault.requests.get(0);
        assertThat(login.getMethod()).isEqualTo("POST");
        assertThat(login.getUrl().encodedPath()).isEqualTo("/v1/auth/jwt/login");
        assertThat(login.getHeaders().get("X-Vault-Namespace")).isEqualTo("admin/team-a");
        assertThat(login.getHeaders().get("X-Vault-Token")).isNull();
        assertThat(login.getHeaders().get("Content-Type")).startsWith("application/json");
        JsonNode body = FakeVault.JSON.readTree(login.getBody().utf8());
        assertThat(body).isEqualTo(FakeVault.JSON.createObjectNode().put("role", "ci").put("jwt", ci));

        String token = vault.issuedSecrets.get(0);
        assertThat(credential.provider()).isEqualTo("vault");
        assertThat(credential.value("vault-token")).contains(CredentialValue.secret("vault-token", token, "VAULT_TOKEN"));
        assertThat(credential.environment()).containsExactly(Map.entry("VAULT_TOKEN", token),
                Map.entry("VAULT_ADDR", address()), Map.entry("VAULT_NAMESPACE", "admin/team-a"));
        assertThat(credential.secrets()).containsExactly(token);
        assertThat(credential.facts()).containsEntry("principal", "auth/jwt/role/ci")
                .containsEntry("policies", "default,ci-read").containsEntry("metadata.role", "ci")
                .containsEntry("accessor", "0e9e354a-520f-df04-6867-ee81cae3d42d");
        assertThat(credential.expiresAt()).isBetween(before.plusSeconds(900), Instant.now().plusSeconds(900));
        assertThat(credential.revocations()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("vault-token");
            assertThat(r.parameters()).containsEntry("token", token).doesNotContainKey("leases");
        });
    }

    @Test
    void readsKvV2AndDynamicSecretsOncePerPathAndRevokesLeasesBeforeTheToken() throws Exception {
        vault.kv.put("ci/db", Map.of("password", "canary-kv-password", "host", "db.internal"));
        EphemeralCredential credential = provider.exchange(request(ci, params("export-token", false, "secrets",
                "secret/data/ci/db password | DB_PASSWORD ; secret/data/ci/db host\n"
                        + "database/creds/ro username | DB_USER; database/creds/ro password | DB_PASS")));

        List<RecordedRequest> reads = vault.requests.subList(1, vault.requests.size());
        assertThat(reads).extracting(r -> r.getMethod() + " " + r.getUrl().encodedPath())
                .containsExactly("GET /v1/secret/data/ci/db", "GET /v1/database/creds/ro");
        String token = vault.issuedSecrets.get(0);
        assertThat(reads).allSatisfy(r -> assertThat(r.getHeaders().get("X-Vault-Token")).isEqualTo(token));
        String user = vault.issuedSecrets.get(1);
        String password = vault.issuedSecrets.get(2);
        assertThat(credential.environment()).containsExactly(Map.entry("VAULT_ADDR", address()),
                Map.entry("DB_PASSWORD", "canary-kv-password"), Map.entry("HOST", "db.internal"),
                Map.entry("DB_USER", user), Map.entry("DB_PASS", password));
        assertThat(credential.values()).filteredOn(v -> !v.name().equals("vault-address")).allMatch(CredentialValue::secret);
        assertThat(credential.value("vault-token")).isEmpty();
        assertThat(credential.expiresAt()).isBefore(Instant.now().plusSeconds(901));

        Revocation revocation = credential.revocations().get(0);
        String lease = vault.liveLeases.iterator().next();
        assertThat(revocation.parameters()).containsEntry("leases", lease);
        vault.requests.clear();
        provider.revoke(revocation);

        assertThat(vault.requests).extracting(r -> r.getMethod() + " " + r.getUrl().encodedPath())
                .containsExactly("PUT /v1/sys/leases/revoke", "POST /v1/auth/token/revoke-self");
        RecordedRequest leaseRevoke = vault.requests.get(0);
        assertThat(FakeVault.JSON.readTree(leaseRevoke.getBody().utf8()))
                .isEqualTo(FakeVault.JSON.createObjectNode().put("lease_id", lease));
        assertThat(leaseRevoke.getHeaders().get("X-Vault-Token")).isEqualTo(token);
        assertThat(vault.requests.get(1).getHeaders().get("X-Vault-Token")).isEqualTo(token);
        assertThat(vault.liveTokens).isEmpty();
        assertThat(vault.liveLeases).isEmpty();
    }

    @Test
    void revokingTwiceIsNoError() {
        EphemeralCredential credential = provider.exchange(request(ci, params()));
        provider.revoke(credential.revocations().get(0));
        provider.revoke(credential.revocations().get(0));
        assertThat(vault.liveTokens).isEmpty();
        assertThat(vault.requests).extracting(r -> r.getUrl().encodedPath())
                .endsWith("/v1/auth/token/revoke-self", "/v1/auth/token/lookup-self");
    }

    @Test
    void wildcardExportsEveryKeyUnderItsDerivedName() {
        vault.kv.put("ci/app", Map.of("api-key", "canary-1", "client.id", "abc", "a.b.c", "x"));
        EphemeralCredential credential = provider.exchange(request(ci, params("secrets", List.of("secret/data/ci/app *"))));
        // vault-action's names: first dot to __, dashes and other characters dropped, upper case.
        assertThat(credential.environment()).containsEntry("APIKEY", "canary-1").containsEntry("CLIENT__ID", "abc")
                .containsEntry("A__BC", "x");
        vault.kv.put("ci/odd", Map.of("1st", "x"));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("secrets", "secret/data/ci/odd 1st"))))
                .hasMessageContaining("gives no valid environment variable name", "| NAME");
    }

    @Test
    void keepsTheAddressPathPrefixAndUsesTheGivenMount() throws IOException {
        server.close();
        MockWebServer proxied = new MockWebServer();
        FakeVault behindProxy = new FakeVault("/vault");
        proxied.setDispatcher(behindProxy);
        proxied.start(InetAddress.getLoopbackAddress(), 0);
        try {
            provider.exchange(request(ci, map("address", "http://127.0.0.1:" + proxied.getPort() + "/vault/",
                    "role", "ci", "mount", "/auth/github-actions/")));
            assertThat(behindProxy.requests.get(0).getUrl().encodedPath()).isEqualTo("/vault/v1/auth/github-actions/login");
        } finally {
            proxied.close();
        }
    }

    @Test
    void boundClaimMismatchNamesTheClaimAndThePresentedValue() {
        vault.boundClaims.put("ref", "refs/heads/release");
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci, params())));
        assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("claim 'ref' is 'refs/heads/main'", "bound_claims.ref", "role 'ci' of auth/jwt",
                "does not match any associated bound claim values");
    }

    @Test
    void missingClaimAndBoundSubjectSayWhatTheTokenCarried() {
        vault.boundClaims.put("environment", "prod");
        assertThatThrownBy(() -> provider.exchange(request(ci, params())))
                .hasMessageContaining("has no claim 'environment'");
        vault.boundClaims.clear();
        vault.boundSubject = "repo:acme/app:environment:prod";
        assertThatThrownBy(() -> provider.exchange(request(ci, params())))
                .hasMessageContaining("sub is 'repo:acme/app:ref:refs/heads/main'", "bound_subject");
    }

    @Test
    void audienceMismatchIsAnInvalidTokenNamingTheAudience() {
        vault.boundAudiences = List.of("https://other.example.com");
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci, params())));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_TOKEN);
        assertThat(e.getMessage()).contains("aud 'https://vault.example.com'", "bound_audiences",
                "invalid audience (aud) claim");
        vault.boundAudiences = List.of();
        assertThatThrownBy(() -> provider.exchange(request(ci, params())))
                .hasMessageContaining("binds no audience").hasMessageContaining("set bound_audiences");
    }

    @Test
    void unknownRoleIsAParameterError() {
        ProviderException e = catchThrowableOfType(ProviderException.class,
                () -> provider.exchange(request(ci, params("role", "deploy"))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.getMessage()).contains("no role 'deploy' of auth/jwt", "vault list auth/jwt/role");
    }

    @Test
    void aDeniedReadRevokesWhatWasIssuedAndNamesThePolicyToAdd() {
        vault.kv.put("ci/db", Map.of("password", "x"));
        vault.denied.add("database/creds/ro");
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci,
                params("secrets", "secret/data/ci/db password; database/creds/ro password"))));
        assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("policies default,ci-read do not allow reading database/creds/ro",
                "capabilities [\"read\"] on path \"database/creds/ro\"");
        assertThat(vault.liveTokens).as("no partial credential stays alive").isEmpty();
    }

    @Test
    void aMissingKeyListsTheKeysThereAreAndRevokesTheLease() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci,
                params("secrets", "database/creds/ro pasword"))));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.getMessage()).contains("no key 'pasword'", "[password, username]");
        assertThat(vault.liveLeases).isEmpty();
        assertThat(vault.liveTokens).isEmpty();
    }

    @Test
    void aSealedVaultIsRetried() {
        vault.sealedFor = 2;
        EphemeralCredential credential = provider.exchange(request(ci, params()));
        assertThat(credential.value("vault-token")).isPresent();
        assertThat(vault.requests).hasSize(3);
    }

    @Test
    void aSealedVaultBeyondTheRetriesIsUnavailable() {
        vault.sealedFor = 5;
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci, params())));
        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(e.getMessage()).contains("HTTP 503", "Vault is sealed");
    }

    @Test
    void aTokenThatNeverExpiresIsRefusedAndRevoked() {
        vault.tokenTtl = 0;
        assertThatThrownBy(() -> provider.exchange(request(ci, params())))
                .hasMessageContaining("never expires").hasMessageContaining("token_ttl");
        assertThat(vault.liveTokens).isEmpty();
    }

    @Test
    void anUnreachableVaultIsUnavailable() {
        server.close();
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci, params())));
        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(e.getMessage()).contains("could not reach", "/v1/auth/jwt/login");
    }

    @Test
    void badInputIsRefusedBeforeAnyCallWithWhatToWrite() {
        assertBad(map("role", "ci"), "'address' is required");
        assertBad(map("address", "vault.example.com:8200", "role", "ci"), "is not a URL", "https://vault.example.com:8200");
        assertBad(map("address", "http://vault.example.com:8200", "role", "ci"), "uses http", "use https");
        assertBad(map("address", "https://vault.example.com/v1", "role", "ci"), "ends in /v1");
        assertBad(map("address", "https://u:p@vault.example.com", "role", "ci"), "without user info");
        assertBad(params("mount", "jwt/../sys"), "'mount'", "not a Vault mount path");
        assertBad(params("namespace", "team a"), "'namespace'");
        assertBad(params("role", "ci role"), "'role'");
        assertBad(params("secrets", "secret/data/ci/db"), "must be 'PATH KEY'");
        assertBad(params("secrets", "secret/data/ci/db password | 1BAD"), "not a valid environment variable");
        assertBad(params("secrets", "secret/data/ci/db * | ALL"), "cannot take '| ALL'");
        assertBad(params("secrets", "secret/data/../sys/raw x"), "not a Vault API path");
        assertBad(params("rol", "ci"), "unknown parameter(s) [rol]");
        assertBad(params("export-token", "yes"), "must be true or false");
        assertThat(vault.requests).isEmpty();
    }

    @Test
    void duplicateVariablesAreRefused() {
        vault.kv.put("ci/a", Map.of("password", "1"));
        vault.kv.put("ci/b", Map.of("password", "2"));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("secrets",
                "secret/data/ci/a password; secret/data/ci/b password"))))
                .hasMessageContaining("two values would be exported as PASSWORD");
        assertThat(vault.liveTokens).isEmpty();
    }

    @Test
    void aWrongNamespaceOrMountSaysWhichSettingsToCheck() {
        vault.namespace = "admin";
        ProviderException namespace = catchThrowableOfType(ProviderException.class,
                () -> provider.exchange(request(ci, params())));
        assertThat(namespace.reason()).isEqualTo(Reason.ACCESS_DENIED);
        assertThat(namespace.getMessage()).contains("check 'mount' and 'namespace'");
        vault.namespace = null;
        ProviderException mount = catchThrowableOfType(ProviderException.class,
                () -> provider.exchange(request(ci, params("mount", "oidc"))));
        assertThat(mount.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(mount.getMessage()).contains("no auth method answers at auth/oidc/login", "no handler for route");
    }

    @Test
    void revocationsOfOtherProvidersAreRefused() {
        assertThatThrownBy(() -> provider.revoke(new Revocation("aws", "session", Map.of())))
                .isInstanceOf(ProviderException.class).hasMessageContaining("belongs to another provider");
    }

    /** A saved record someone else wrote must not make the token travel in clear text to another host. */
    @Test
    void aRevocationSendsTheTokenOnlyOverHttpsOrToLoopback() {
        assertThatThrownBy(() -> provider.revoke(new Revocation("vault", VaultProvider.REVOCATION_KIND,
                Map.of("address", "http://vault.example:8200", "token", "s.canary-token"))))
                .isInstanceOf(ProviderException.class).hasMessageContaining("neither https nor loopback")
                .hasMessageNotContaining("s.canary-token");
    }

    @Test
    void canariesNeverReachMessagesOrToString() {
        vault.kv.put("ci/db", Map.of("password", "canary-" + java.util.UUID.randomUUID()));
        EphemeralCredential credential = provider.exchange(request(ci, params("secrets",
                "secret/data/ci/db password | DB_PASSWORD; database/creds/ro password")));
        List<String> secrets = new java.util.ArrayList<>(credential.secrets());
        assertThat(secrets).hasSize(3).allMatch(s -> s.contains("canary-"));
        String text = credential + " " + credential.revocations() + " " + credential.values();
        secrets.forEach(s -> assertThat(text).doesNotContain(s));
        provider.revoke(credential.revocations().get(0));

        // Failure paths: Vault echoes the JWT; a read error happens with a live canary token.
        vault.echo = "error validating token: malformed";
        ProviderException login = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci, params())));
        assertThat(login.getMessage()).doesNotContain(ci).contains("****");
        vault.echo = null;
        vault.denied.add("secret/data/ci/db");
        ProviderException read = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci,
                params("secrets", "secret/data/ci/db password"))));
        assertThat(vault.issuedSecrets).isNotEmpty().allSatisfy(s -> {
            assertThat(read.getMessage()).doesNotContain(s);
            assertThat(login.getMessage()).doesNotContain(s);
            assertThat(credential.toString()).doesNotContain(s);
        });
        assertThat(Duration.between(Instant.now(), credential.expiresAt())).isPositive();
    }

    private void assertBad(Map<String, Object> parameters, String... fragments) {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> provider.exchange(request(ci, parameters)));
        assertThat(e).as("parameters %s", parameters).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.getMessage()).contains(fragments).startsWith("vault: ");
    }
}
