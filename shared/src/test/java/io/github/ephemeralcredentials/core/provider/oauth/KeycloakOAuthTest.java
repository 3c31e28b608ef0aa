package io.github.ephemeralcredentials.core.provider.oauth;

import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.BEARER_CLIENT;
import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.BEARER_SECRET;
import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.CI_SUBJECT;
import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.EXCHANGE_CLIENT;
import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.EXCHANGE_SECRET;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.params;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.peers.KeycloakPeer;
import io.github.ephemeralcredentials.core.peers.KeycloakRealm;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.time.Clock;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The RFC 7523, RFC 8693 and RFC 7009 providers against a real Keycloak 26 that trusts our CI issuer
 * ({@link KeycloakPeer}): endpoints discovered from the realm's metadata, tokens checked by Keycloak's own
 * introspection (RFC 7662).
 */
@ExtendWith(KeycloakPeer.class)
class KeycloakOAuthTest {

    private final Map<String, String> env = Map.of("BEARER_SECRET", BEARER_SECRET, "EXCHANGE_SECRET", EXCHANGE_SECRET);
    private final OkHttpClient http = HttpClients.create(KeycloakRealm.PATIENT);
    private final JwtBearerProvider bearer = new JwtBearerProvider(http, Retries.immediate(2), env::get, Clock.systemUTC());
    private final TokenExchangeProvider exchange = new TokenExchangeProvider(http, Retries.immediate(2), env::get, Clock.systemUTC());
    private KeycloakRealm realm;

    @BeforeEach
    void realm(KeycloakRealm realm) {
        this.realm = realm;
    }

    private Map<String, Object> bearerProfile() {
        return params("issuer", realm.issuer(), "client-id", BEARER_CLIENT, "client-secret-env", "BEARER_SECRET");
    }

    private Map<String, Object> exchangeProfile(String client, String secretEnv) {
        return params("issuer", realm.issuer(), "client-id", client, "client-secret-env", secretEnv,
                "subject-issuer", "ci-oidc", "requested-token-type", "access_token");
    }

    @Test
    void jwtBearerGrantIssuesATokenKeycloakConsidersActive() throws Exception {
        EphemeralCredential credential = bearer.exchange(request(realm.mint(CI_SUBJECT, realm.issuer()), bearerProfile(), Map.of()));

        String token = credential.environment().get("ACCESS_TOKEN");
        assertThat(realm.active(token, BEARER_CLIENT, BEARER_SECRET)).isTrue();
        assertThat(credential.facts()).containsEntry("issuer", realm.issuer())
                .containsEntry("token-endpoint", realm.tokenEndpoint());
        assertThat(credential.value("token-type").orElseThrow().value()).isEqualTo("Bearer");
    }

    @Test
    void jwtBearerRefusesAnAssertionForAnotherAudience() {
        String ci = realm.mint(CI_SUBJECT, "sts.amazonaws.com");
        assertThatThrownBy(() -> bearer.exchange(request(ci, bearerProfile(), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
                    assertThat(e.providerCode()).isEqualTo("invalid_grant");
                })
                .hasMessageContaining("Invalid token audience")
                .hasMessageContaining("aud=[sts.amazonaws.com]");
    }

    @Test
    void jwtBearerRefusesAnExpiredAssertion() {
        String ci = realm.mintExpired(CI_SUBJECT, realm.issuer());
        assertThatThrownBy(() -> bearer.exchange(request(ci, bearerProfile(), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_TOKEN))
                .hasMessageContaining("validity window");
    }

    @Test
    void jwtBearerRefusesAReplayedAssertion() {
        String ci = realm.mint(CI_SUBJECT, realm.issuer());
        bearer.exchange(request(ci, bearerProfile(), Map.of()));

        assertThatThrownBy(() -> bearer.exchange(request(ci, bearerProfile(), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_TOKEN))
                .hasMessageContaining("Token reuse detected")
                .hasMessageContaining("may be used once");
    }

    @Test
    void jwtBearerRefusesAnUnknownSubject() {
        String ci = realm.mint("repo:acme/other:ref:refs/heads/main", realm.issuer());
        assertThatThrownBy(() -> bearer.exchange(request(ci, bearerProfile(), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED))
                .hasMessageContaining("User not found")
                .hasMessageContaining("sub=repo:acme/other:ref:refs/heads/main");
    }

    @Test
    void rfc7009RevocationEndsTheIssuedToken() throws Exception {
        EphemeralCredential credential = bearer.exchange(request(realm.mint(CI_SUBJECT, realm.issuer()), bearerProfile(), Map.of()));
        String token = credential.environment().get("ACCESS_TOKEN");
        assertThat(realm.active(token, BEARER_CLIENT, BEARER_SECRET)).isTrue();
        assertThat(credential.revocations()).isNotEmpty().allSatisfy(r -> assertThat(r.kind()).isEqualTo("rfc7009"));

        for (Revocation revocation : credential.revocations()) {
            bearer.revoke(revocation);
        }

        assertThat(realm.active(token, BEARER_CLIENT, BEARER_SECRET)).isFalse();
        // Idempotent: revoking again is not an error (RFC 7009 §2.2).
        credential.revocations().forEach(bearer::revoke);
    }

    @Test
    void tokenExchangeIssuesAnAccessTokenForTheCiIdentityAndRevokesIt() throws Exception {
        EphemeralCredential credential = exchange.exchange(request(realm.mint(CI_SUBJECT, "ci-exchanger"),
                exchangeProfile(EXCHANGE_CLIENT, "EXCHANGE_SECRET"), Map.of()));

        String token = credential.environment().get("ACCESS_TOKEN");
        assertThat(credential.value("issued-token-type").orElseThrow().value())
                .isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(realm.active(token, EXCHANGE_CLIENT, EXCHANGE_SECRET)).isTrue();

        credential.revocations().forEach(exchange::revoke);
        assertThat(realm.active(token, EXCHANGE_CLIENT, EXCHANGE_SECRET)).isFalse();
    }

    @Test
    void tokenExchangeRefusesAClientWithoutThePermissionAndAnExpiredSubjectToken() {
        assertThatThrownBy(() -> exchange.exchange(request(realm.mint(CI_SUBJECT, "ci-exchanger"),
                exchangeProfile(BEARER_CLIENT, "BEARER_SECRET"), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
                    assertThat(e.providerCode()).isEqualTo("access_denied");
                })
                .hasMessageContaining("Client not allowed to exchange");

        assertThatThrownBy(() -> exchange.exchange(request(realm.mintExpired(CI_SUBJECT, "ci-exchanger"),
                exchangeProfile(EXCHANGE_CLIENT, "EXCHANGE_SECRET"), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_TOKEN));
    }

    @Test
    void aWrongClientSecretPointsAtTheClientAuthentication() {
        TokenExchangeProvider wrongSecret = new TokenExchangeProvider(http, Retries.immediate(1),
                Map.of("EXCHANGE_SECRET", "not-the-secret")::get, Clock.systemUTC());
        assertThatThrownBy(() -> wrongSecret.exchange(request(realm.mint(CI_SUBJECT, "ci-exchanger"),
                exchangeProfile(EXCHANGE_CLIENT, "EXCHANGE_SECRET"), Map.of())))
                // Keycloak answers unauthorized_client "Invalid client or Invalid client credentials" here.
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS))
                .hasMessageContaining("client-secret-env")
                .hasMessageNotContaining("not-the-secret");
    }

}
