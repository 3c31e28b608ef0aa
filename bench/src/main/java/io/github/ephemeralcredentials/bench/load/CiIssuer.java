package io.github.ephemeralcredentials.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The CI issuer both the service and Keycloak trust: the core's {@link TokenIssuer} with an RS256 key, its discovery
 * document and JWKS served by the JDK's HTTP server on loopback for the whole run.
 */
final class CiIssuer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads;
    private final TokenIssuer issuer;

    CiIssuer() throws IOException {
        KeyRing keys = KeyRing.generate(SigningAlgorithm.RS256, Instant.now());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        threads = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "ci-issuer");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/issuer";
        issuer = new TokenIssuer(url, () -> keys, Clock.systemUTC());
        serve("/issuer/.well-known/openid-configuration", issuer::discoveryDocument);
        serve("/issuer/jwks", issuer::jwks);
        server.start();
    }

    private void serve(String path, Supplier<String> body) {
        server.createContext(path, exchange -> answer(exchange, body.get()));
    }

    private static void answer(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "max-age=600");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    String url() {
        return issuer.issuer();
    }

    String jwksUri() {
        return issuer.jwksUri();
    }

    /**
     * {@code count} fresh tokens, each with its own {@code jti}, signed on every core (RS256 signing is the slow
     * part of a benchmark's preparation).
     */
    List<String> mint(int count, String audience, Duration lifetime, IntFunction<CiClaims> claims) {
        return IntStream.range(0, count).parallel().mapToObj(i -> {
            CiClaims c = claims.apply(i);
            return issuer.mint(c.subject(), List.of(audience), lifetime, c.claims());
        }).toList();
    }

    /** A token's subject and its other claims (none of the reserved ones). */
    record CiClaims(String subject, Map<String, Object> claims) {
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
