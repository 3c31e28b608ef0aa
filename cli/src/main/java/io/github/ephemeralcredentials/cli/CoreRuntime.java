package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import okhttp3.OkHttpClient;

/** What {@code exchange} and {@code revoke} run the core with: one HTTP client, the core's providers. */
final class CoreRuntime {

    private CoreRuntime() {
    }

    static OkHttpClient http() {
        return Holder.HTTP;
    }

    /**
     * The core's providers; files a profile asks for go to {@code $TMPDIR} (the POSIX convention; the JVM's own
     * temporary directory ignores it) or else the JVM's temporary directory, private to this user.
     *
     * @param environment what names such as {@code client-secret-env} resolve against: this process's environment
     */
    static Map<String, CredentialProvider> providers(Map<String, String> environment) {
        return Providers.standard(http(), Retries.DEFAULT, environment::get,
                CredentialsFileHost.privateIn(temporaryDirectory(environment)), Clock.systemUTC());
    }

    private static Path temporaryDirectory(Map<String, String> environment) {
        String tmpdir = environment.get("TMPDIR");
        return Path.of(tmpdir != null && !tmpdir.isBlank() ? tmpdir : System.getProperty("java.io.tmpdir"));
    }

    private static final class Holder {
        static final OkHttpClient HTTP = HttpClients.create(HttpSettings.DEFAULT.withoutHttp2());
    }
}
