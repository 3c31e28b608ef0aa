package io.github.ephemeralcredentials.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.azure.AzureProvider;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    @Test
    void everyShippedProviderIsThereUnderItsOwnId() {
        Map<String, CredentialProvider> providers = Providers.standard(HttpClients.create(HttpSettings.DEFAULT),
                Retries.DEFAULT, name -> null, Clock.systemUTC());
        assertThat(providers).containsKeys("aws", "azure", "token-exchange", "jwt-bearer", "gcp", "vault", "github-app");
        providers.forEach((id, provider) -> assertThat(provider.id()).isEqualTo(id));
    }

    @Test
    void refusesTwoProvidersWithOneId() {
        AzureProvider one = new AzureProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.DEFAULT, Clock.systemUTC());
        assertThatThrownBy(() -> Providers.byId(List.of(one, one))).hasMessageContaining("'azure'");
    }
}
