package io.github.ephemeralcredentials.core.provider;

import io.github.ephemeralcredentials.core.provider.aws.AwsProvider;
import io.github.ephemeralcredentials.core.provider.azure.AzureProvider;
import io.github.ephemeralcredentials.core.provider.gcp.GcpProvider;
import io.github.ephemeralcredentials.core.provider.github.GitHubAppProvider;
import io.github.ephemeralcredentials.core.provider.oauth.JwtBearerProvider;
import io.github.ephemeralcredentials.core.provider.oauth.TokenExchangeProvider;
import io.github.ephemeralcredentials.core.provider.vault.VaultProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
     *                      profile names no path: a host whose process is not the job's (the Jenkins controller)
     *                      passes a private directory of its own and moves the files to the job
     */
    public static Map<String, CredentialProvider> standard(OkHttpClient http, Retries retries,
                                                           Function<String, String> environment, Path fileDirectory,
                                                           Clock clock) {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(environment, "environment");
        return byId(List.of(
                new AwsProvider(http, retries, fileDirectory),
                new AzureProvider(http, retries, clock),
                new TokenExchangeProvider(http, retries, environment, clock),
                new JwtBearerProvider(http, retries, environment, clock),
                new GcpProvider(http, retries, clock, fileDirectory),
                new VaultProvider(http, retries, clock),
                new GitHubAppProvider(http, retries, environment, clock)));
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
