package io.github.ephemeralcredentials.core.provider.oauth;

import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.ciToken;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.error;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.form;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.json;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.params;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.request;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 8693 token exchange on the wire: the request a provider posts (RFC 8693 §2.1, client authentication per
 * RFC 6749 §2.3.1), how it reads §2.2.1 responses and §2.2.2 / RFC 6749 §5.2 errors, and endpoint discovery
 * (OpenID Connect Discovery 1.0 §4, RFC 8414 §3). The server is MockWebServer answering the RFCs' documented
 * shapes; the real-server suite is {@code KeycloakOAuthTest}.
 */
class TokenExchangeProviderTest {

    private final MockWebServer server = new MockWebServer();
    private final Map<String, String> env = Map.of("EXCHANGE_SECRET", "s3cr:t%&+ =");
    private TokenExchangeProvider provider;
    private String endpoint;
    private final String ci = ciToken("repo:acme/app:ref:refs/heads/main", "https://as.example.test");

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        endpoint = server.url("/token").toString();
        provider = new TokenExchangeProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(3), env::get,
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postsTheRfc8693RequestWithBasicClientAuthenticationFormEncodedFirst() throws Exception {
        server.enqueue(token("at-1", "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\""));

        provider.exchange(request(ci, params("token-endpoint", endpoint, "client-id", "ci client",
                "client-secret-env", "EXCHANGE_SECRET", "audience", List.of("api-a", "api-b"),
                "resource", "https://api.example.test/v1", "requested-token-type", "access_token",
                "subject-issuer", "ci-oidc"), Map.of("scopes", List.of("read", "write"))));

        RecordedRequest posted = server.takeRequest();
        assertThat(posted.getMethod()).isEqualTo("POST");
        assertThat(posted.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        Map<String, List<String>> form = form(posted);
        assertThat(form).containsEntry("grant_type", List.of("urn:ietf:params:oauth:grant-type:token-exchange"))
                .containsEntry("subject_token", List.of(ci))
                .containsEntry("subject_token_type", List.of("urn:ietf:params:oauth:token-type:jwt"))
                .containsEntry("subject_issuer", List.of("ci-oidc"))
                .containsEntry("requested_token_type", List.of("urn:ietf:params:oauth:token-type:access_token"))
                .containsEntry("audience", List.of("api-a", "api-b"))
                .containsEntry("resource", List.of("https://api.example.test/v1"))
                .containsEntry("scope", List.of("read write"))
                .doesNotContainKeys("client_id", "client_secret");
        // RFC 6749 §2.3.1: application/x-www-form-urlencoded id and secret, then Base64.
        String expected = "ci+client:s3cr%3At%25%26%2B+%3D";
        assertThat(posted.getHeaders().get("Authorization"))
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString(expected.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void clientSecretPostPutsIdAndSecretInTheBodyAndNoneSendsOnlyTheId() throws Exception {
        server.enqueue(token("at-1", ""));
        server.enqueue(token("at-2", ""));

        provider.exchange(request(ci, params("token-endpoint", endpoint, "client-id", "c1", "client-auth",
                "client_secret_post", "client-secret-env", "EXCHANGE_SECRET"), Map.of()));
        provider.exchange(request(ci, params("token-endpoint", endpoint, "client-id", "public-client"), Map.of()));

        RecordedRequest post = server.takeRequest();
        assertThat(form(post)).containsEntry("client_id", List.of("c1")).containsEntry("client_secret", List.of("s3cr:t%&+ ="));
        assertThat(post.getHeaders().get("Authorization")).isNull();
        RecordedRequest none = server.takeRequest();
        assertThat(form(none)).containsEntry("client_id", List.of("public-client")).doesNotContainKey("client_secret");
        assertThat(none.getHeaders().get("Authorization")).isNull();
    }

    @Test
    void credentialExportsTheTokenAsSecretAndItsFactsAsPlainValues() {
        server.enqueue(json(200, "{\"access_token\":\"at-xyz\",\"token_type\":\"Bearer\",\"expires_in\":120,"
                + "\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\",\"scope\":\"read\"}"));
        Instant before = Instant.now();

        EphemeralCredential credential = provider.exchange(request(ci,
                params("token-endpoint", endpoint, "env-var", "API_TOKEN"), Map.of()));

        assertThat(credential.provider()).isEqualTo("token-exchange");
        assertThat(credential.environment()).containsExactly(Map.entry("API_TOKEN", "at-xyz"));
        assertThat(credential.secrets()).containsExactly("at-xyz");
        assertThat(credential.value("token-type").orElseThrow().value()).isEqualTo("Bearer");
        assertThat(credential.value("issued-token-type").orElseThrow().value())
                .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(credential.value("scope").orElseThrow().value()).isEqualTo("read");
        assertThat(credential.expiresAt()).isCloseTo(before.plusSeconds(120), within(5, ChronoUnit.SECONDS));
        assertThat(credential.value("expiration").orElseThrow().value()).isEqualTo(credential.expiresAt().toString());
        assertThat(credential.revocations()).as("no revocation endpoint configured or advertised").isEmpty();
    }

    @Test
    void discoversEndpointsFromOpenIdConfigurationAndRevokesBothIssuedTokens() throws Exception {
        String issuer = server.url("/realms/ci").toString();
        server.enqueue(json(200, "{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + server.url("/realms/ci/token")
                + "\",\"revocation_endpoint\":\"" + server.url("/realms/ci/revoke") + "\"}"));
        server.enqueue(token("at-1", "\"refresh_token\":\"rt-1\""));

        EphemeralCredential credential = provider.exchange(request(ci, params("issuer", issuer, "client-id", "c1",
                "client-secret-env", "EXCHANGE_SECRET"), Map.of()));

        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/realms/ci/.well-known/openid-configuration");
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/realms/ci/token");
        assertThat(credential.values()).noneMatch(v -> v.value().equals("rt-1"));
        assertThat(credential.revocations()).extracting(r -> r.parameters().get("token-type-hint"))
                .containsExactly("refresh_token", "access_token");
        Revocation first = credential.revocations().get(0);
        assertThat(first.kind()).isEqualTo("rfc7009");
        assertThat(first.parameters()).containsEntry("endpoint", server.url("/realms/ci/revoke").toString())
                .containsEntry("client-id", "c1").containsEntry("client-secret-env", "EXCHANGE_SECRET")
                .doesNotContainValue("s3cr:t%&+ =");

        server.enqueue(new MockResponse.Builder().code(200).build());
        provider.revoke(first);
        RecordedRequest revoke = server.takeRequest();
        assertThat(revoke.getUrl().encodedPath()).isEqualTo("/realms/ci/revoke");
        assertThat(form(revoke)).containsEntry("token", List.of("rt-1")).containsEntry("token_type_hint", List.of("refresh_token"));
        assertThat(revoke.getHeaders().get("Authorization")).startsWith("Basic ");
    }

    @Test
    void fallsBackToRfc8414MetadataInsertedBeforeTheIssuerPath() throws Exception {
        String issuer = server.url("/tenant1").toString();
        server.enqueue(new MockResponse.Builder().code(404).build());
        server.enqueue(json(200, "{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + server.url("/t") + "\"}"));
        server.enqueue(token("at-1", ""));

        provider.exchange(request(ci, params("issuer", issuer), Map.of()));

        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/tenant1/.well-known/openid-configuration");
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/.well-known/oauth-authorization-server/tenant1");
        assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/t");
    }

    @Test
    void refusesMetadataThatNamesAnotherIssuer() {
        String issuer = server.url("/realms/ci").toString();
        server.enqueue(json(200, "{\"issuer\":\"https://evil.example\",\"token_endpoint\":\"https://evil.example/t\"}"));

        assertThatThrownBy(() -> provider.exchange(request(ci, params("issuer", issuer), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE))
                .hasMessageContaining("names issuer 'https://evil.example', not the configured '" + issuer + "'");
        assertThat(server.getRequestCount()).as("nothing posted to the other issuer").isEqualTo(1);
    }

    @Test
    void invalidGrantNamesTheRefusedPartOfTheToken() {
        server.enqueue(error(400, "invalid_grant", "Invalid token audience"));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
                    assertThat(e.providerCode()).isEqualTo("invalid_grant");
                })
                .hasMessageContaining("invalid_grant: \"Invalid token audience\"")
                .hasMessageContaining("refused the token's audience: the CI token has aud=[https://as.example.test]");

        server.enqueue(error(400, "invalid_grant", "Token is not active"));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_TOKEN))
                .hasMessageContaining("validity window").hasMessageContaining("exp=");

        server.enqueue(error(400, "invalid_grant", "User not found"));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED))
                .hasMessageContaining("sub=repo:acme/app:ref:refs/heads/main");
    }

    @Test
    void keycloaksRefusalTextsPointAtThePartOfTheTokenTheyName() {
        // Descriptions Keycloak 26.7 sends for refused assertions (see KeycloakOAuthTest for the live ones).
        Map<String, List<Object>> cases = Map.of(
                "Multiple audiences not allowed", List.of(Reason.ACCESS_DENIED, "aud=[https://as.example.test]"),
                "Token jti claim is required", List.of(Reason.INVALID_TOKEN, "lacks a claim"),
                "Token was issued too far in the past to be used now", List.of(Reason.INVALID_TOKEN, "validity window"),
                "No Identity Provider for provided issuer", List.of(Reason.ACCESS_DENIED, "iss=" + OAuthWire.CI_ISSUER),
                "Invalid signature", List.of(Reason.INVALID_TOKEN, "signature"));
        cases.forEach((description, expected) -> {
            server.enqueue(error(400, "invalid_grant", description));
            assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                    .as(description)
                    .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(expected.get(0)))
                    .hasMessageContaining((String) expected.get(1));
        });
        server.enqueue(error(400, "invalid_issuer", "Invalid subject_issuer parameter"));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS))
                .hasMessageContaining("'subject-issuer'");
    }

    @Test
    void everyRfc6749ErrorCodeHasAStableReason() {
        Map<String, Reason> expected = Map.of(
                "invalid_client", Reason.INVALID_PARAMETERS,
                "invalid_request", Reason.INVALID_PARAMETERS,
                "unauthorized_client", Reason.ACCESS_DENIED,
                "invalid_scope", Reason.INVALID_SCOPE,
                "invalid_target", Reason.INVALID_SCOPE,
                "unsupported_grant_type", Reason.INVALID_PARAMETERS,
                "access_denied", Reason.ACCESS_DENIED,
                "invalid_grant", Reason.ACCESS_DENIED);
        expected.forEach((code, reason) -> {
            server.enqueue(error(code.equals("invalid_client") ? 401 : 400, code, null));
            assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                    .as(code)
                    .isInstanceOfSatisfying(ProviderException.class, e -> {
                        assertThat(e.reason()).isEqualTo(reason);
                        assertThat(e.providerCode()).isEqualTo(code);
                        assertThat(e.getMessage()).startsWith("token-exchange: " + endpoint + " refused the request (" + code + ")");
                    });
        });
        assertThat(server.getRequestCount()).as("none of these is retried").isEqualTo(expected.size());
    }

    @Test
    void unauthorizedClientThatSaysTheCredentialsAreWrongPointsAtTheSecret() {
        // Keycloak's answer to a wrong client secret.
        server.enqueue(error(401, "unauthorized_client", "Invalid client or Invalid client credentials"));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
                    assertThat(e.providerCode()).isEqualTo("unauthorized_client");
                })
                .hasMessageContaining("client-secret-env");
    }

    @Test
    void retriesOnlyWhileTheServerIsUnavailable() {
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(error(400, "temporarily_unavailable", null));
        server.enqueue(token("at-1", ""));

        EphemeralCredential credential = provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of()));

        assertThat(credential.secrets()).containsExactly("at-1");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void givesUpAfterTheRetriesWithUnavailable() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway</html>").build());
        }
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
                .hasMessageContaining("HTTP 502").hasMessageNotContaining("bad gateway");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void doesNotFollowARedirectWithTheTokenInTheBody() {
        server.enqueue(new MockResponse.Builder().code(307).setHeader("Location", "https://elsewhere.example/token").build());
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE))
                .hasMessageContaining("redirect");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void refusesAnIncompleteSuccessResponse() {
        server.enqueue(json(200, "{\"access_token\":\"at-1\"}"));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE))
                .hasMessageContaining("without token_type");
        server.enqueue(json(200, "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":-5}"));
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .hasMessageContaining("expires_in");
    }

    @Test
    void badProfilesAreRefusedBeforeAnyRequest() {
        Map<Map<String, Object>, String> cases = Map.of(
                params("token-endpoint", "http://as.example.test/token"), "is not HTTPS",
                params("issuer", "https://a.test", "token-endpoint", "https://a.test/t"), "exactly one of 'issuer'",
                params(), "exactly one of 'issuer'",
                params("token-endpoint", endpoint, "audiance", "x"), "unknown parameter(s) [audiance]",
                params("token-endpoint", endpoint, "client-id", "c", "client-secret", "hunter2"), "must not be written in the policy file",
                params("token-endpoint", endpoint, "client-auth", "client_secret_jwt"), "use client_secret_basic, client_secret_post or none",
                params("token-endpoint", endpoint, "client-auth", "client_secret_basic", "client-secret-env", "X"), "needs 'client-id'",
                params("token-endpoint", endpoint, "resource", "relative/path"), "must be an absolute URI",
                params("token-endpoint", endpoint, "env-var", "1BAD"), "not a valid environment variable name");
        cases.forEach((parameters, message) -> assertThatThrownBy(() -> provider.exchange(request(ci, parameters, Map.of())))
                .as(message)
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS))
                .hasMessageContaining(message)
                .hasMessageNotContaining("hunter2"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aMissingSecretVariableIsNamedWithoutSendingAnything() {
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint, "client-id", "c1",
                "client-secret-env", "NOT_SET_ANYWHERE"), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS))
                .hasMessageContaining("NOT_SET_ANYWHERE");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void revocationOfUnknownTokensIsSuccessAndOfAnotherProviderIsRefused() {
        Revocation revocation = Rfc7009.revocation("token-exchange", server.url("/revoke"), "gone", "access_token",
                new ClientAuthentication(ClientAuthentication.Method.NONE, "c1", null));
        server.enqueue(new MockResponse.Builder().code(200).build());
        provider.revoke(revocation);
        assertThat(server.getRequestCount()).isEqualTo(1);

        assertThatThrownBy(() -> provider.revoke(new Revocation("vault", "vault-token", Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS))
                .hasMessageContaining("hand it to the vault provider");
    }

    @Test
    void revocationRetriesA503AndReportsAClientError() {
        Revocation revocation = Rfc7009.revocation("token-exchange", server.url("/revoke"), "t", "access_token",
                new ClientAuthentication(ClientAuthentication.Method.NONE, "c1", null));
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(new MockResponse.Builder().code(200).build());
        provider.revoke(revocation);
        assertThat(server.getRequestCount()).isEqualTo(2);

        server.enqueue(error(401, "invalid_client", "Invalid client credentials"));
        assertThatThrownBy(() -> provider.revoke(revocation))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS))
                .hasMessageContaining("client authentication");
    }
}
