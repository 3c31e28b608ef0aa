package io.github.ephemeralcredentials.core.exchange;

import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.Retries;
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
        assertThat(providers).containsKeys("aws", "azure", "token-exchange", "jwt-bearer", "gcp", "vault", "github-app",
                "broker", "jwt");
        providers.forEach((id, provider) -> assertThat(provider.id()).isEqualTo(id));
    }

    @Test
    void refusesTwoProvidersWithOneId() {
        AzureProvider one = new AzureProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.DEFAULT, Clock.systemUTC());
        assertThatThrownBy(() -> Providers.byId(List.of(one, one))).hasMessageContaining("'azure'");
    }

    @Test
    void buildsAProviderOnlyWhenItIsAskedFor() {
        java.util.concurrent.atomic.AtomicInteger built = new java.util.concurrent.atomic.AtomicInteger();
        Map<String, java.util.function.Supplier<CredentialProvider>> factories = new java.util.LinkedHashMap<>();
        factories.put("azure", () -> {
            built.incrementAndGet();
            return new AzureProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.DEFAULT, Clock.systemUTC());
        });
        factories.put("other", () -> {
            throw new AssertionError("never asked for, never built");
        });
        Map<String, CredentialProvider> providers = Providers.onDemand(factories);

        assertThat(providers.containsKey("other")).isTrue();
        assertThat(providers.keySet()).containsExactly("azure", "other");
        assertThat(built).hasValue(0);
        assertThat(providers.get("azure")).isSameAs(providers.get("azure"));
        assertThat(built).hasValue(1);
        assertThat(providers.get("missing")).isNull();
    }

    @Test
    void refusesAFactoryWhoseProviderHasAnotherId() {
        Map<String, CredentialProvider> providers = Providers.onDemand(Map.of("aws",
                () -> new AzureProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.DEFAULT, Clock.systemUTC())));
        assertThatThrownBy(() -> providers.get("aws")).hasMessageContaining("'aws'").hasMessageContaining("'azure'");
    }
}
