package io.github.ephemeralcredentials.core.provider.oauth;

import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.ciToken;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.error;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.form;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.params;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.request;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 7523 §2.1 JWT bearer grant on the wire, against MockWebServer answering RFC 6749 §5.1/§5.2 shapes; the
 * real-server suite is {@code KeycloakOAuthTest}.
 */
class JwtBearerProviderTest {

    private final MockWebServer server = new MockWebServer();
    private JwtBearerProvider provider;
    private String endpoint;
    private final String ci = ciToken("repo:acme/app:ref:refs/heads/main", "https://as.example.test/token");

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        endpoint = server.url("/token").toString();
        provider = new JwtBearerProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(2),
                Map.of("BEARER_SECRET", "bearer-secret")::get, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postsTheAssertionGrant() throws Exception {
        server.enqueue(token("at-1", "\"scope\":\"deploy\""));

        EphemeralCredential credential = provider.exchange(request(ci, params("token-endpoint", endpoint,
                "client-id", "ci-bearer", "client-secret-env", "BEARER_SECRET"), Map.of("scopes", "deploy")));

        RecordedRequest posted = server.takeRequest();
        assertThat(form(posted)).containsOnlyKeys("grant_type", "assertion", "scope")
                .containsEntry("grant_type", List.of("urn:ietf:params:oauth:grant-type:jwt-bearer"))
                .containsEntry("assertion", List.of(ci))
                .containsEntry("scope", List.of("deploy"));
        assertThat(posted.getHeaders().get("Authorization")).startsWith("Basic ");
        assertThat(credential.provider()).isEqualTo("jwt-bearer");
        assertThat(credential.environment()).containsExactly(Map.entry("ACCESS_TOKEN", "at-1"));
    }

    @Test
    void aReplayedAssertionIsAnInvalidTokenThatSaysFetchAFreshOne() {
        server.enqueue(error(400, "invalid_grant", "Token reuse detected"));

        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_TOKEN);
                    assertThat(e.provider()).isEqualTo("jwt-bearer");
                })
                .hasMessageContaining("each assertion may be used once")
                .hasMessageContaining("jti=" + OAuthWire.claims(ci).jwtId().orElseThrow());
    }

    @Test
    void anUntrustedIssuerIsNamed() {
        server.enqueue(error(400, "invalid_grant", "No identity provider found for issuer"));

        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED))
                .hasMessageContaining("iss=" + OAuthWire.CI_ISSUER);
    }

    @Test
    void refusesTokenExchangeOnlyParameters() {
        assertThatThrownBy(() -> provider.exchange(request(ci, params("token-endpoint", endpoint, "audience", "x"), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS))
                .hasMessageContaining("unknown parameter(s) [audience]");
    }
}
