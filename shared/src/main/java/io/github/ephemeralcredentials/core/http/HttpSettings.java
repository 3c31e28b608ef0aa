package io.github.ephemeralcredentials.core.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the core talks HTTP: bounded timeouts everywhere, because a CI step that hangs on a dead endpoint
 * holds a runner and the job's own token keeps ageing; the proxy to go through; and CA certificates to trust in
 * addition to the JDK's (a corporate TLS-inspecting proxy, an internal Vault).
 *
 * @param connectTimeout TCP + TLS connect
 * @param readTimeout    between bytes
 * @param callTimeout    the whole call including redirects and body
 * @param proxy          the proxy configuration; {@link ProxyConfig#NONE} to leave it to the JVM's default
 * @param extraCaBundle  a PEM file of CA certificates trusted in addition to the JDK's, or {@code null}
 * @param http2          whether to offer HTTP/2 to https servers; see {@link #withoutHttp2()}
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, Duration callTimeout, ProxyConfig proxy,
                           Path extraCaBundle, boolean http2) {

    public static final HttpSettings DEFAULT =
            new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        Objects.requireNonNull(proxy, "proxy");
        if (connectTimeout.isNegative() || readTimeout.isNegative() || callTimeout.isNegative()
                || connectTimeout.isZero() || readTimeout.isZero() || callTimeout.isZero()) {
            throw new IllegalArgumentException("HTTP timeouts must be positive; zero would mean 'wait forever'");
        }
    }

    /** Timeouts only: the JVM's proxy settings, the JDK's CA certificates. */
    public HttpSettings(Duration connectTimeout, Duration readTimeout, Duration callTimeout) {
        this(connectTimeout, readTimeout, callTimeout, ProxyConfig.NONE, null, true);
    }

    public HttpSettings withProxy(ProxyConfig proxy) {
        return new HttpSettings(connectTimeout, readTimeout, callTimeout, proxy, extraCaBundle, http2);
    }

    /** The proxy the process environment names ({@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY}). */
    public HttpSettings withEnvironmentProxy() {
        return withProxy(ProxyConfig.fromEnvironment(System.getenv()));
    }

    public HttpSettings withExtraCaBundle(Path pem) {
        return new HttpSettings(connectTimeout, readTimeout, callTimeout, proxy, pem, http2);
    }

    /**
     * HTTP/1.1 only, for a process that makes a handful of requests and exits (the CLI, the action's container):
     * there HTTP/2's multiplexing gains nothing, and setting it up on a cold JVM (connection preface, settings
     * exchange, a reader thread, HPACK) costs a quarter of a second — a third of the step over https.
     */
    public HttpSettings withoutHttp2() {
        return new HttpSettings(connectTimeout, readTimeout, callTimeout, proxy, extraCaBundle, false);
    }
}
