package io.github.ephemeralcredentials.core.http;

import java.io.IOException;
import java.util.List;
import okhttp3.ConnectionSpec;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Builds the TLS side of a client on its first https request. OkHttp sets up TLS when a client is built — the JDK's
 * trust store parsed, an SSLContext made — which is most of a short-lived process's start-up (the GitHub Action runs
 * once per job) and wasted when every URL is plain loopback http. OkHttp's builder reads the trust manager's accepted
 * issuers at once, so a lazy trust manager cannot defer it; instead the client is cleartext-only and this application
 * interceptor hands each https request, unchanged, to a client built from the same settings with OkHttp's default
 * TLS (platform trust, hostname verification): TLS is exactly as strict as without this class, only later.
 *
 * <p>The https client is built from the settings the cleartext client had when this interceptor was added: a caller
 * that changes settings with {@code newBuilder()} must build a new client with {@link HttpClients#create}.
 */
final class TlsOnDemand implements Interceptor {

    private final OkHttpClient cleartext;
    private volatile OkHttpClient tls;

    /** @param cleartext the settings to use, built with cleartext connection specs only (no TLS set up yet) */
    TlsOnDemand(OkHttpClient cleartext) {
        this.cleartext = cleartext;
    }

    static OkHttpClient wrap(OkHttpClient.Builder settings) {
        OkHttpClient cleartext = settings.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
        return cleartext.newBuilder().addInterceptor(new TlsOnDemand(cleartext)).build();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        if (!chain.request().isHttps()) {
            return chain.proceed(chain.request());
        }
        return tls().newCall(chain.request()).execute();
    }

    boolean tlsBuilt() {
        return tls != null;
    }

    private OkHttpClient tls() {
        OkHttpClient client = tls;
        if (client == null) {
            synchronized (this) {
                client = tls;
                if (client == null) {
                    // OkHttp's default specs; its default SSL socket factory and trust manager come with them.
                    client = cleartext.newBuilder()
                            .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT)).build();
                    tls = client;
                }
            }
        }
        return client;
    }
}
