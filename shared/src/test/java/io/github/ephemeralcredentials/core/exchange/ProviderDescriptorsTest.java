package io.github.ephemeralcredentials.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The descriptors are the providers' own lists: what a profile may say is what the provider reads. */
class ProviderDescriptorsTest {

    private static final Map<String, CredentialProvider> PROVIDERS = Providers.standard(new OkHttpClient(),
            Retries.immediate(1), name -> null, Clock.systemUTC());

    static Iterable<String> ids() {
        return Providers.descriptors().keySet();
    }

    @ParameterizedTest
    @MethodSource("ids")
    void everyProviderIsDescribedUnderItsOwnId(String id) {
        CredentialProvider provider = PROVIDERS.get(id);
        assertThat(provider).isNotNull();
        assertThat(provider.id()).isEqualTo(id);
        assertThat(provider.descriptor()).isSameAs(Providers.descriptor(id).orElseThrow());
        assertThat(provider.descriptor().id()).isEqualTo(provider.id());
    }

    /**
     * Each name the descriptor lists gets past the provider's unknown-name check, and a name it does not list is
     * refused as unknown, naming it: the provider accepts exactly the descriptor's names.
     */
    @ParameterizedTest
    @MethodSource("ids")
    void everyDescribedParameterIsOneTheProviderAccepts(String id) {
        ProviderDescriptor d = Providers.descriptor(id).orElseThrow();
        Map<String, Object> all = new HashMap<>();
        d.parameterNames().forEach(n -> all.put(n, "x"));
        assertThat(unknownNamed(id, all, Map.of())).isNull();
        Map<String, Object> scope = new HashMap<>();
        d.scopeNames().forEach(n -> scope.put(n, "x"));
        assertThat(unknownNamed(id, Map.of(), scope)).isNull();

        Map<String, Object> extra = new HashMap<>(all);
        extra.put("not-a-parameter", "x");
        assertThat(unknownNamed(id, extra, Map.of())).contains("not-a-parameter");
    }

    /** The message of an unknown-name refusal, or null when the exchange failed otherwise. */
    private static String unknownNamed(String id, Map<String, Object> parameters, Map<String, Object> scope) {
        try {
            PROVIDERS.get(id).exchange(new ExchangeRequest(() -> "ci.token.value", Claims.of(Map.of()), parameters, scope,
                    Duration.ofMinutes(15), null));
            return null;
        } catch (ProviderException e) {
            return e.getMessage().contains("unknown") ? e.getMessage() : null;
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void onlyGitHubAppAndJwtDoNotPresentTheCiTokenToAVerifier(String id) {
        assertThat(Providers.descriptor(id).orElseThrow().presentsCiToken())
                .isEqualTo(!java.util.Set.of("github-app", "jwt").contains(id));
    }

    @org.junit.jupiter.api.Test
    void awsLifetimeBoundsFollowStsAndChainingCapsThemAtAnHour() {
        ProviderDescriptor aws = Providers.descriptor("aws").orElseThrow();
        assertThat(aws.minLifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(aws.maxLifetime(Map.of("role-arn", "arn:aws:iam::123456789012:role/x"))).isEqualTo(Duration.ofHours(12));
        assertThat(aws.maxLifetime(Map.of("chain-role-arn", "arn:aws:iam::123456789012:role/y")))
                .isEqualTo(Duration.ofHours(1));
        assertThat(Providers.descriptor("nope")).isEmpty();
        assertThatThrownBy(() -> Providers.descriptors().put("x", aws)).isInstanceOf(UnsupportedOperationException.class);
    }

    @org.junit.jupiter.api.Test
    void defaultAudiencesAreTheOnesEachProvidersGuideBinds() {
        assertThat(Providers.descriptor("aws").orElseThrow().defaultAudience(Map.of())).contains("sts.amazonaws.com");
        assertThat(Providers.descriptor("azure").orElseThrow().defaultAudience(Map.of()))
                .contains("api://AzureADTokenExchange");
        assertThat(Providers.descriptor("gcp").orElseThrow().defaultAudience(Map.of("workload-identity-provider",
                "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/gh")))
                .contains("https://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/gh");
        assertThat(Providers.descriptor("vault").orElseThrow().defaultAudience(Map.of("address", "https://v")))
                .isEmpty();
        assertThat(Providers.descriptor("token-exchange").orElseThrow().defaultAudience(Map.of(
                "token-endpoint", "https://t/token"))).contains("https://t/token");
        assertThat(Providers.descriptor("jwt-bearer").orElseThrow().defaultAudience(Map.of("issuer", "https://i",
                "token-endpoint", "https://t/token"))).contains("https://i");
        assertThat(Providers.descriptor("github-app").orElseThrow().defaultAudience(Map.of())).isEmpty();
        assertThat(Providers.descriptor("jwt").orElseThrow().defaultAudience(Map.of("audience", "https://rp"))).isEmpty();
        assertThat(Providers.descriptor("broker").orElseThrow().defaultAudience(Map.of("url",
                "https://credentials.example.com"))).contains("https://credentials.example.com");
    }
}
