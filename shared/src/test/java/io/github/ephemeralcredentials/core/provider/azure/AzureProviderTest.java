package io.github.ephemeralcredentials.core.provider.azure;

import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.ciToken;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.form;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.json;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.params;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
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
 * Entra workload identity federation on the wire. Entra cannot run here: MockWebServer answers in the shapes
 * Microsoft documents for the v2.0 token endpoint ("Microsoft identity platform and the OAuth 2.0 client
 * credentials flow", section "Third case: Access token request with a federated credential", and its error
 * response: {@code error}, {@code error_description} opening with the AADSTS code, {@code error_codes},
 * {@code timestamp}, {@code trace_id}, {@code correlation_id}). The real-server suite is {@code KeycloakOAuthTest}.
 */
class AzureProviderTest {

    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String CLIENT = "11111111-2222-3333-4444-555555555555";

    private final MockWebServer server = new MockWebServer();
    private AzureProvider provider;
    private final String ci = ciToken("repo:acme/app:environment:prod", "api://AzureADTokenExchange");

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        provider = new AzureProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(2), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String authority() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private static MockResponse entraToken(String accessToken) {
        return json(200, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\""
                + accessToken + "\"}");
    }

    private static MockResponse entraError(String error, int code, String text) {
        return json(400, "{\"error\":\"" + error + "\",\"error_description\":\"AADSTS" + code + ": " + text
                + "\\r\\nTrace ID: 0000aaaa-11bb-cccc-dd22-eeeeee333333\\r\\nCorrelation ID: "
                + "aaaa0000-bb11-2222-33cc-444444dddddd\\r\\nTimestamp: 2026-11-23 13:00:00Z\",\"error_codes\":["
                + code + "],\"timestamp\":\"2026-11-23 13:00:00Z\",\"trace_id\":\"0000aaaa-11bb-cccc-dd22-eeeeee333333\","
                + "\"correlation_id\":\"aaaa0000-bb11-2222-33cc-444444dddddd\"}");
    }

    @Test
    void postsTheClientCredentialsGrantWithTheCiTokenAsClientAssertion() throws Exception {
        server.enqueue(entraToken("eyJ0eXAi.entra.token"));

        EphemeralCredential credential = provider.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT,
                "authority-host", authority()), Map.of()));

        RecordedRequest posted = server.takeRequest();
        assertThat(posted.getUrl().encodedPath()).isEqualTo("/" + TENANT + "/oauth2/v2.0/token");
        assertThat(form(posted)).containsOnlyKeys("grant_type", "scope", "client_assertion_type", "client_assertion", "client_id")
                .containsEntry("grant_type", List.of("client_credentials"))
                .containsEntry("client_id", List.of(CLIENT))
                .containsEntry("scope", List.of("https://management.azure.com/.default"))
                .containsEntry("client_assertion_type", List.of("urn:ietf:params:oauth:client-assertion-type:jwt-bearer"))
                .containsEntry("client_assertion", List.of(ci));
        assertThat(posted.getHeaders().get("Authorization")).isNull();
        assertThat(credential.environment()).containsExactly(
                Map.entry("AZURE_CLIENT_ID", CLIENT), Map.entry("AZURE_TENANT_ID", TENANT),
                Map.entry("AZURE_ACCESS_TOKEN", "eyJ0eXAi.entra.token"));
        assertThat(credential.secrets()).containsExactly("eyJ0eXAi.entra.token");
        assertThat(credential.revocations()).isEmpty();
        assertThat(credential.facts()).containsEntry("scope", "https://management.azure.com/.default");
    }

    @Test
    void sovereignCloudsUseTheirAuthorityHosts() {
        Map<String, String> clouds = Map.of("public", "https://login.microsoftonline.com",
                "usgov", "https://login.microsoftonline.us", "china", "https://login.chinacloudapi.cn");
        clouds.forEach((cloud, host) -> {
            // The endpoint is built before any request; an unreachable host proves which one was chosen.
            server.enqueue(entraToken("x"));
            EphemeralCredential credential = provider.exchange(request(ci, params("tenant-id", "contoso.onmicrosoft.com",
                    "client-id", CLIENT, "cloud", cloud, "token-endpoint", server.url("/t").toString()), Map.of()));
            assertThat(credential.facts().get("token-endpoint")).isEqualTo(server.url("/t").toString());
            assertThat(AzureCloud.named(cloud).orElseThrow().authorityHost()).isEqualTo(host);
        });
    }

    @Test
    void resourceAndScopesBecomeOneDotDefaultScope() throws Exception {
        server.enqueue(entraToken("x"));
        server.enqueue(entraToken("y"));
        provider.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT, "authority-host", authority(),
                "resource", "https://vault.azure.net/"), Map.of()));
        provider.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT, "authority-host", authority()),
                Map.of("scopes", List.of("https://graph.microsoft.com/.default"))));

        assertThat(form(server.takeRequest())).containsEntry("scope", List.of("https://vault.azure.net/.default"));
        assertThat(form(server.takeRequest())).containsEntry("scope", List.of("https://graph.microsoft.com/.default"));
    }

    @Test
    void noMatchingFederatedCredentialPrintsWhatTheTokenPresented() {
        server.enqueue(entraError("invalid_client", 700213, "No matching federated identity record found for presented "
                + "assertion subject 'repo:acme/app:environment:prod'. Please check your federated identity credential "
                + "Subject, Audience and Issuer against the presented assertion."));

        assertThatThrownBy(() -> provider.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT,
                "authority-host", authority()), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
                    assertThat(e.providerCode()).isEqualTo("AADSTS700213");
                })
                .hasMessageContaining("exactly and case-sensitively")
                .hasMessageContaining("its subject matched none")
                .hasMessageContaining("iss=https://ci.example.test, sub=repo:acme/app:environment:prod, "
                        + "aud=[api://AzureADTokenExchange]")
                .hasMessageContaining("app " + CLIENT + " in tenant " + TENANT)
                .hasMessageContaining("trace id 0000aaaa-11bb-cccc-dd22-eeeeee333333");
    }

    @Test
    void aadsts70021AndAssertionOutsideItsValidityWindow() {
        server.enqueue(entraError("invalid_request", 70021, "No matching federated identity record found for presented assertion."));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT,
                "authority-host", authority()), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED))
                .hasMessageContaining("sub=repo:acme/app:environment:prod");

        server.enqueue(entraError("invalid_client", 700024, "Client assertion is not within its valid time range."));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT,
                "authority-host", authority()), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_TOKEN);
                    assertThat(e.providerCode()).isEqualTo("AADSTS700024");
                })
                .hasMessageContaining("outside its validity window").hasMessageContaining("exp=");
    }

    @Test
    void unknownAppOrTenantPointsAtTheParameters() {
        server.enqueue(entraError("unauthorized_client", 700016, "Application with identifier '" + CLIENT
                + "' was not found in the directory."));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT,
                "authority-host", authority()), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS))
                .hasMessageContaining("check 'client-id' and 'tenant-id'");
    }

    @Test
    void badIdentifiersAreRefusedBeforeAnyRequest() {
        Map<Map<String, Object>, String> cases = Map.of(
                params("tenant-id", "common", "client-id", CLIENT), "multi-tenant alias",
                params("tenant-id", "not a tenant", "client-id", CLIENT), "neither a GUID nor a domain",
                params("tenant-id", TENANT, "client-id", "my-app"), "is not a GUID",
                params("tenant-id", TENANT), "'client-id' is required",
                params("tenant-id", TENANT, "client-id", CLIENT, "cloud", "germany"), "'cloud' 'germany' is not known",
                params("tenant-id", TENANT, "client-id", CLIENT, "cloud", "usgov", "authority-host", "https://x.test"), "not both",
                params("tenant-id", TENANT, "client-id", CLIENT, "authority-host", "https://x.test/tenant"), "scheme and host only",
                params("tenant-id", TENANT, "client-id", CLIENT, "authority-host", "http://login.example"), "is not HTTPS",
                params("tenant-id", TENANT, "client-id", CLIENT, "resource", "https://x/.default"), "already ends with /.default");
        cases.forEach((parameters, message) -> assertThatThrownBy(() -> provider.exchange(request(ci, parameters, Map.of())))
                .as(message)
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS))
                .hasMessageContaining(message));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT),
                Map.of("scopes", List.of("https://a/.default", "https://b/.default")))))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_SCOPE));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void federatedTokenFileModeWritesTheCiTokenOwnerOnly(@TempDir Path dir) throws Exception {
        server.enqueue(entraToken("x"));

        EphemeralCredential credential = provider.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT,
                "authority-host", authority(), "federated-token-file", true, "federated-token-dir", dir.toString()), Map.of()));

        Path file = Path.of(credential.environment().get("AZURE_FEDERATED_TOKEN_FILE"));
        assertThat(file.getParent()).isEqualTo(dir);
        assertThat(credential.files()).containsExactly(file);
        assertThat(Files.readString(file)).isEqualTo(ci);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(credential.environment()).containsEntry("AZURE_AUTHORITY_HOST", authority());
    }

    @Test
    void withoutADirectoryTheFileGoesWhereTheHostPutsFiles(@TempDir Path dir) throws Exception {
        server.enqueue(entraToken("x"));
        AzureProvider inDir = new AzureProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(2),
                Clock.systemUTC(), CredentialsFileHost.privateIn(dir));

        EphemeralCredential credential = inDir.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT,
                "authority-host", authority(), "federated-token-file", true), Map.of()));

        Path file = credential.files().get(0);
        assertThat(file.getParent()).isEqualTo(dir);
        assertThat(file.getFileName().toString()).matches("azure-federated-token-[0-9a-f]{16}\\.jwt");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(credential.environment()).containsEntry("AZURE_FEDERATED_TOKEN_FILE", file.toString());
    }

    @Test
    void whereNothingKeepsATokenFileFreshTheFederatedTokenFileIsRefusedBeforeEntraIsCalled(@TempDir Path dir) {
        AzureProvider forJob = new AzureProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(2),
                Clock.systemUTC(), new CredentialsFileHost(dir, Path.of("/home/runner/work/app/app"),
                "gha-creds-", true, null, "nothing rewrites it during the job"));

        assertThatThrownBy(() -> forJob.exchange(request(ci, params("tenant-id", TENANT, "client-id", CLIENT,
                "authority-host", authority(), "federated-token-file", true), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason())
                        .isEqualTo(Reason.INVALID_PARAMETERS))
                .hasMessage("azure: parameter 'federated-token-file' is refused here: nothing rewrites it during the "
                        + "job; remove it from the profile and use the exported access token (AZURE_ACCESS_TOKEN), "
                        + "which is valid until its expiration");
        assertThat(server.getRequestCount()).isZero();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void retriesAThrottledRequest() {
        server.enqueue(new MockResponse.Builder().code(429).build());
        server.enqueue(entraToken("x"));
        ExchangeRequest request = request(ci, params("tenant-id", TENANT, "client-id", CLIENT, "authority-host", authority()), Map.of());

        assertThat(provider.exchange(request).secrets()).containsExactly("x");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }
}
