package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class ActionRuntimeTest {

    private final OkHttpClient http = HttpClients.create(HttpSettings.DEFAULT);

    /** Iterating the providers builds all seven; the once-per-job container must build only the one it uses. */
    @Test
    void keepsTheProvidersWithoutIteratingThem() {
        Map<String, CredentialProvider> providers = Providers.standard(http, Retries.immediate(1), name -> null,
                Clock.systemUTC());
        Map<String, CredentialProvider> noIteration = new AbstractMap<>() {
            @Override
            public Set<Entry<String, CredentialProvider>> entrySet() {
                throw new AssertionError("the providers were iterated, which builds every one of them");
            }

            @Override
            public CredentialProvider get(Object key) {
                return providers.get(key);
            }

            @Override
            public Set<String> keySet() {
                return providers.keySet();
            }
        };
        ActionRuntime runtime = new ActionRuntime(http, Retries.immediate(1), noIteration);

        assertThat(runtime.provider("aws").id()).isEqualTo("aws");
        assertThatThrownBy(() -> runtime.provider("nope")).isInstanceOf(ActionException.class)
                .hasMessageContaining("unknown provider 'nope'").hasMessageContaining("aws, azure");
    }
}
