package io.github.ephemeralcredentials.core.http;

import java.io.IOException;
import java.net.ProxySelector;
import java.util.List;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/** Builds the one OkHttp client setup the core uses, and reads bodies without trusting their size. */
public final class HttpClients {

    private HttpClients() {
    }

    /**
     * The client for these settings. With the JDK's trust store only, TLS is set up on the first https request
     * ({@link TlsOnDemand}); with an extra CA bundle, at once, so that a bad bundle fails here.
     */
    public static OkHttpClient create(HttpSettings settings) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(settings.callTimeout())
                // Token endpoints must not silently follow a redirect to another host with our form body.
                .followRedirects(false)
                .followSslRedirects(false);
        if (!settings.http2()) {
            builder.protocols(List.of(Protocol.HTTP_1_1));
        }
        ProxySelector selector = settings.proxy().selector();
        if (selector != null) {
            builder.proxySelector(selector);
        } // else the JVM's default selector, which honours -Dhttps.proxyHost and a host's own ProxySelector
        proxyCredentials(settings.proxy()).ifPresent(basic -> builder.proxyAuthenticator((route, response) ->
                response.request().header("Proxy-Authorization") != null
                        ? null // already tried: the proxy refused these credentials
                        : response.request().newBuilder().header("Proxy-Authorization", basic).build()));
        if (settings.extraCaBundle() != null) {
            TrustBundle.Tls tls = TrustBundle.withExtra(settings.extraCaBundle());
            builder.sslSocketFactory(tls.context().getSocketFactory(), tls.trustManager());
            return builder.build(); // checked now: a bad bundle must fail at start, not on the first call
        }
        return TlsOnDemand.wrap(builder);
    }

    private static java.util.Optional<String> proxyCredentials(ProxyConfig proxy) {
        java.net.URI uri = proxy.httpsProxy() != null ? proxy.httpsProxy() : proxy.httpProxy();
        if (uri == null || uri.getUserInfo() == null) {
            return java.util.Optional.empty();
        }
        String[] userPass = uri.getUserInfo().split(":", 2);
        return java.util.Optional.of(Credentials.basic(userPass[0], userPass.length > 1 ? userPass[1] : ""));
    }

    /**
     * Reads at most {@code maxBytes} of a body as UTF-8.
     *
     * @throws BodyTooLargeException if the body is longer; the rest is never buffered
     */
    public static String readLimited(ResponseBody body, long maxBytes) throws IOException {
        BufferedSource source = body.source();
        if (source.request(maxBytes + 1)) {
            throw new BodyTooLargeException(maxBytes);
        }
        Buffer buffer = source.getBuffer();
        return buffer.readUtf8();
    }

    /** A response body longer than the caller allows. */
    public static final class BodyTooLargeException extends IOException {
        private final long limit;

        public BodyTooLargeException(long limit) {
            super("response body is larger than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }
}
