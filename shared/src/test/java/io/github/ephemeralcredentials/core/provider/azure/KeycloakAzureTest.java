package io.github.ephemeralcredentials.core.provider.azure;

import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.CI_SUBJECT;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.params;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.peers.KeycloakPeer;
import io.github.ephemeralcredentials.core.peers.KeycloakRealm;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Azure provider's client-assertion grant against a real server: Keycloak's {@code federated-jwt} client
 * authentication accepts the CI token as {@code client_assertion} of a {@code client_credentials} grant, the shape
 * Entra's workload identity federation uses ({@link KeycloakPeer}). Entra's own AADSTS codes are covered by
 * {@code AzureProviderTest}.
 */
@ExtendWith(KeycloakPeer.class)
class KeycloakAzureTest {

    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private final AzureProvider azure = new AzureProvider(HttpClients.create(KeycloakRealm.PATIENT), Retries.immediate(2),
            Clock.systemUTC());
    private KeycloakRealm realm;

    @BeforeEach
    void realm(KeycloakRealm realm) {
        this.realm = realm;
    }

    private Map<String, Object> profile() {
        return params("tenant-id", TENANT, "client-id", realm.federatedClient(), "token-endpoint", realm.tokenEndpoint());
    }

    @Test
    void clientAssertionIssuesAnActiveTokenForTheFederatedClient() throws Exception {
        EphemeralCredential credential = azure.exchange(request(realm.mint(CI_SUBJECT, realm.issuer()), profile(), Map.of()));

        assertThat(credential.environment()).containsEntry("AZURE_CLIENT_ID", realm.federatedClient())
                .containsEntry("AZURE_TENANT_ID", TENANT).containsKey("AZURE_ACCESS_TOKEN");
        assertThat(realm.activeForFederatedClient(credential.environment().get("AZURE_ACCESS_TOKEN"))).isTrue();
    }

    @Test
    void aSubjectTheClientIsNotBoundToIsRefusedWithWhatWasPresented() {
        String ci = realm.mint("repo:acme/app:ref:refs/heads/evil", realm.issuer());
        assertThatThrownBy(() -> azure.exchange(request(ci, profile(), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
                    assertThat(e.providerCode()).isEqualTo("invalid_client");
                })
                .hasMessageContaining("sub=repo:acme/app:ref:refs/heads/evil");
    }

    @Test
    void anotherAudienceIsRefusedAsTheAudience() {
        String ci = realm.mint(CI_SUBJECT, "api://AzureADTokenExchange");
        assertThatThrownBy(() -> azure.exchange(request(ci, profile(), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED))
                .hasMessageContaining("aud=[api://AzureADTokenExchange]");
    }

    @Test
    void anExpiredAssertionIsAnInvalidToken() {
        String ci = realm.mintExpired(CI_SUBJECT, realm.issuer());
        assertThatThrownBy(() -> azure.exchange(request(ci, profile(), Map.of())))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_TOKEN));
    }
}
