package io.github.ephemeralcredentials.core.exchange;

import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.core.provider.aws.AwsDescriptor;
import io.github.ephemeralcredentials.core.provider.aws.AwsProvider;
import io.github.ephemeralcredentials.core.provider.azure.AzureDescriptor;
import io.github.ephemeralcredentials.core.provider.azure.AzureProvider;
import io.github.ephemeralcredentials.core.provider.broker.BrokerDescriptor;
import io.github.ephemeralcredentials.core.provider.broker.BrokerProvider;
import io.github.ephemeralcredentials.core.provider.gcp.GcpDescriptor;
import io.github.ephemeralcredentials.core.provider.gcp.GcpProvider;
import io.github.ephemeralcredentials.core.provider.github.GitHubAppDescriptor;
import io.github.ephemeralcredentials.core.provider.github.GitHubAppProvider;
import io.github.ephemeralcredentials.core.provider.jwt.JwtDescriptor;
import io.github.ephemeralcredentials.core.provider.jwt.JwtProvider;
import io.github.ephemeralcredentials.core.provider.oauth.JwtBearerDescriptor;
import io.github.ephemeralcredentials.core.provider.oauth.JwtBearerProvider;
import io.github.ephemeralcredentials.core.provider.oauth.TokenExchangeDescriptor;
import io.github.ephemeralcredentials.core.provider.oauth.TokenExchangeProvider;
import io.github.ephemeralcredentials.core.provider.vault.VaultDescriptor;
import io.github.ephemeralcredentials.core.provider.vault.VaultProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * Every provider this library ships, built on one HTTP client and retry rule, by id: what a host (the CLI, the GitHub
 * Action, the Jenkins plugin) hands to the exchange so that a profile or an input can name any of them.
 */
public final class Providers {

    private Providers() {
    }

    /**
     * @param environment reads variables a profile names instead of holding a secret ({@code client-secret-env});
     *                    a host passes its process or build environment
     */
    public static Map<String, CredentialProvider> standard(OkHttpClient http, Retries retries,
                                                           Function<String, String> environment, Clock clock) {
        return standard(http, retries, environment, AwsProvider.defaultFileDirectory(), clock);
    }

    /**
     * @param fileDirectory where providers write files a profile asks for (an AWS credentials file, say) when the
     *                      profile names no path, private to this process's user: a host whose process is not the
     *                      job's (the Jenkins controller) passes a private directory of its own and moves the files
     *                      to the job
     */
    public static Map<String, CredentialProvider> standard(OkHttpClient http, Retries retries,
                                                           Function<String, String> environment, Path fileDirectory,
                                                           Clock clock) {
        return standard(http, retries, environment, CredentialsFileHost.privateIn(fileDirectory), clock);
    }

    /**
     * @param files where the files a profile asks for go (AWS's credentials file, GCP's {@code external_account} file,
     *              a CI token file), who may read them, the path the job's later steps know them by and what GCP's
     *              file reads the CI token from: for a host whose later steps see files elsewhere than this process
     *              does (a container action)
     */
    public static Map<String, CredentialProvider> standard(OkHttpClient http, Retries retries,
                                                           Function<String, String> environment,
                                                           CredentialsFileHost files, Clock clock) {
        return standard(http, retries, environment, files, clock, null);
    }

    /**
     * @param signer the token-exchange service's own issuer, which signs the {@code jwt} provider's tokens; {@code null}
     *               in every other host, whose {@code jwt} provider then refuses (only the service publishes the keys
     *               a relying party verifies such tokens with)
     */
    public static Map<String, CredentialProvider> standard(OkHttpClient http, Retries retries,
                                                           Function<String, String> environment,
                                                           CredentialsFileHost files, Clock clock,
                                                           TokenIssuer signer) {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(environment, "environment");
        Map<String, Supplier<CredentialProvider>> factories = new LinkedHashMap<>();
        factories.put(AwsProvider.ID, () -> new AwsProvider(http, retries, files));
        factories.put(AzureProvider.ID, () -> new AzureProvider(http, retries, clock, files));
        factories.put(TokenExchangeProvider.ID, () -> new TokenExchangeProvider(http, retries, environment, clock));
        factories.put(JwtBearerProvider.ID, () -> new JwtBearerProvider(http, retries, environment, clock));
        factories.put(GcpProvider.ID, () -> new GcpProvider(http, retries, clock, files));
        factories.put(VaultProvider.ID, () -> new VaultProvider(http, retries, clock));
        factories.put(GitHubAppProvider.ID, () -> new GitHubAppProvider(http, retries, environment, clock));
        factories.put(BrokerProvider.ID, () -> new BrokerProvider(http, retries, clock));
        factories.put(JwtProvider.ID, () -> new JwtProvider(signer));
        return onDemand(factories);
    }

    /**
     * Providers by id, each built the first time it is asked for: a one-shot host (the action's container) uses one of
     * nine, and building the others (the AWS signer, hub4j, ...) would be most of its start-up. Iterating the
     * entries builds them all; {@code get}, {@code containsKey} and {@code keySet} do not.
     */
    static Map<String, CredentialProvider> onDemand(Map<String, Supplier<CredentialProvider>> factories) {
        return new OnDemand(Map.copyOf(factories));
    }

    private static final class OnDemand extends AbstractMap<String, CredentialProvider> {
        private final Map<String, Supplier<CredentialProvider>> factories;
        private final Map<String, CredentialProvider> built = new ConcurrentHashMap<>();

        OnDemand(Map<String, Supplier<CredentialProvider>> factories) {
            this.factories = factories;
        }

        @Override
        public CredentialProvider get(Object id) {
            Supplier<CredentialProvider> factory = factories.get(id);
            if (factory == null) {
                return null;
            }
            return built.computeIfAbsent((String) id, key -> {
                CredentialProvider provider = factory.get();
                if (!provider.id().equals(key)) {
                    throw new IllegalStateException("the provider registered as '" + key + "' calls itself '" + provider.id() + "'");
                }
                return provider;
            });
        }

        @Override
        public boolean containsKey(Object id) {
            return factories.containsKey(id);
        }

        @Override
        public Set<String> keySet() {
            return Collections.unmodifiableSet(new TreeSet<>(factories.keySet()));
        }

        @Override
        public Set<Entry<String, CredentialProvider>> entrySet() {
            Set<Entry<String, CredentialProvider>> entries = new LinkedHashSet<>();
            keySet().forEach(id -> entries.add(Map.entry(id, get(id))));
            return Collections.unmodifiableSet(entries);
        }
    }

    /**
     * Every provider's descriptor by id, sorted, without building any provider or loading its code: what the policy
     * loader checks profiles against and hosts derive their inputs from.
     */
    public static Map<String, ProviderDescriptor> descriptors() {
        return Descriptors.ALL;
    }

    /** The descriptor of {@code id}, or empty when this installation has no such provider. */
    public static Optional<ProviderDescriptor> descriptor(String id) {
        return Optional.ofNullable(Descriptors.ALL.get(id));
    }

    /** Its own holder, so that building providers never builds the descriptors' map and the reverse. */
    private static final class Descriptors {
        static final Map<String, ProviderDescriptor> ALL = byId(AwsDescriptor.DESCRIPTOR, AzureDescriptor.DESCRIPTOR,
                BrokerDescriptor.DESCRIPTOR, GcpDescriptor.DESCRIPTOR, GitHubAppDescriptor.DESCRIPTOR,
                JwtDescriptor.DESCRIPTOR, JwtBearerDescriptor.DESCRIPTOR, TokenExchangeDescriptor.DESCRIPTOR,
                VaultDescriptor.DESCRIPTOR);

        private static Map<String, ProviderDescriptor> byId(ProviderDescriptor... descriptors) {
            Map<String, ProviderDescriptor> all = new TreeMap<>();
            for (ProviderDescriptor d : descriptors) {
                if (all.put(d.id(), d) != null) {
                    throw new IllegalStateException("two descriptors share the id '" + d.id() + "'");
                }
            }
            return Collections.unmodifiableMap(all);
        }
    }

    /** The providers by id, refusing two with the same id. */
    public static Map<String, CredentialProvider> byId(List<? extends CredentialProvider> providers) {
        Map<String, CredentialProvider> byId = new LinkedHashMap<>();
        for (CredentialProvider provider : providers) {
            if (byId.putIfAbsent(provider.id(), provider) != null) {
                throw new IllegalArgumentException("two providers share the id '" + provider.id() + "'");
            }
        }
        return Map.copyOf(byId);
    }
}
