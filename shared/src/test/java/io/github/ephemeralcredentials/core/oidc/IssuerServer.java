package io.github.ephemeralcredentials.core.oidc;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Our own {@link TokenIssuer} served over real HTTP on loopback: discovery at
 * {@code /issuer/.well-known/openid-configuration}, JWKS at {@code /issuer/jwks}. Tests can replace the JWKS
 * response to simulate outages, and read how many times each document was fetched.
 */
public final class IssuerServer implements AutoCloseable {

    private final MockWebServer server = new MockWebServer();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final AtomicReference<Function<String, MockResponse>> jwksOverride = new AtomicReference<>();
    private volatile String cacheControl = "max-age=600";
    private final TokenIssuer issuer;
    private final AtomicReference<KeyRing> keys;

    public IssuerServer(KeyRing keys, Clock clock) throws IOException {
        this.keys = new AtomicReference<>(keys);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                if (path.equals("/issuer/.well-known/openid-configuration")) {
                    return json(issuer().discoveryDocument());
                }
                if (path.equals("/issuer/jwks")) {
                    Function<String, MockResponse> override = jwksOverride.get();
                    return override != null ? override.apply(issuer().jwks()) : json(issuer().jwks());
                }
                return new MockResponse.Builder().code(404).build();
            }
        });
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        this.issuer = new TokenIssuer(url(), this.keys::get, clock);
    }

    private MockResponse json(String body) {
        return new MockResponse.Builder()
                .setHeader("Content-Type", "application/json")
                .setHeader("Cache-Control", cacheControl)
                .body(body)
                .build();
    }

    public String url() {
        String base = server.url("/issuer").toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public TokenIssuer issuer() {
        return issuer;
    }

    public KeyRing keys() {
        return keys.get();
    }

    public void keys(KeyRing ring) {
        keys.set(ring);
    }

    public void cacheControl(String value) {
        this.cacheControl = value;
    }

    /** Replaces the JWKS response; the function gets the JWKS the issuer would have served. {@code null} restores it. */
    public void jwksResponse(Function<String, MockResponse> override) {
        jwksOverride.set(override);
    }

    public int jwksFetches() {
        return hits.getOrDefault("/issuer/jwks", new AtomicInteger()).get();
    }

    public int discoveryFetches() {
        return hits.getOrDefault("/issuer/.well-known/openid-configuration", new AtomicInteger()).get();
    }

    public MockWebServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
