package io.jenkins.plugins.ephemeral_credentials.step;

import hudson.ProxyConfiguration;
import hudson.util.Secret;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.http.ProxyConfig;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import io.jenkins.plugins.ephemeral_credentials.config.ProfileSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jenkins.model.Jenkins;
import okhttp3.OkHttpClient;

/** The shared core's providers, wired for one profile on this controller. */
final class ProviderSet {


    private ProviderSet() {
    }

    /**
     * Where a provider writes a file it was asked for (an AWS credentials file, say) on the controller; the step moves
     * it into the build's workspace {@code @tmp} directory at once. A directory of its own, mode 0700 on POSIX.
     */
    private static synchronized Path fileDirectory() {
        if (fileDir == null) {
            try {
                fileDir = Files.createTempDirectory("ephemeral-credentials");
            } catch (IOException e) {
                throw new UncheckedIOException("could not create a private temporary directory for credential files", e);
            }
        }
        return fileDir;
    }

    private static Path fileDir;

    /**
     * @param profile the profile whose secrets the providers may read: the names its parameters give (e.g.
     *                {@code client-secret-env}) resolve to the Credentials Plugin entries the administrator bound to
     *                that profile, and to nothing else (never the controller's own environment)
     */
    static Map<String, CredentialProvider> forProfile(String profile) {
        Function<String, String> secrets = name -> secret(profile, name);
        return Providers.standard(http(), Retries.DEFAULT, secrets, fileDirectory(), Clock.systemUTC());
    }

    private static HttpSettings clientSettings;
    private static OkHttpClient client;

    /** One client while Jenkins' proxy settings stay the same: each client owns a connection pool and threads. */
    private static synchronized OkHttpClient http() {
        HttpSettings settings = httpSettings();
        if (!settings.equals(clientSettings)) {
            client = HttpClients.create(settings);
            clientSettings = settings;
        }
        return client;
    }

    /** Jenkins' own proxy (Manage Jenkins › System), read at each exchange so a change applies without a restart. */
    private static HttpSettings httpSettings() {
        ProxyConfiguration proxy = Jenkins.get().proxy;
        if (proxy == null || proxy.name == null) {
            return HttpSettings.DEFAULT;
        }
        Secret password = proxy.getSecretPassword();
        return HttpSettings.DEFAULT.withProxy(ProxyConfig.hostAndPort(proxy.name, proxy.port, proxy.getUserName(),
                password == null ? null : password.getPlainText(), proxy.getNoProxyHost()));
    }

    /** All secrets bound to {@code profile}, for masking. */
    static List<String> secretsOf(String profile) {
        return bindings(profile).stream().map(ProviderSet::resolve).toList();
    }

    private static String secret(String profile, String name) {
        return bindings(profile).stream().filter(b -> b.getVariable().equals(name)).findFirst()
                .map(ProviderSet::resolve).orElse(null);
    }

    private static List<ProfileSecret> bindings(String profile) {
        return EphemeralCredentialsConfiguration.get().getProfileSecrets().stream()
                .filter(b -> b.getProfile().equals(profile)).toList();
    }

    private static String resolve(ProfileSecret binding) {
        try {
            return binding.resolve();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read credentials '" + binding.getCredentialsId() + "'", e);
        }
    }
}
