package io.github.ephemeralcredentials.cli;

import com.nimbusds.jwt.JWTParser;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * The container's main step starts cold once per job, and most of a cold start is one-time initialisation that does
 * not depend on the step's inputs. A second thread does it while the step's thread reads its inputs (and any trust
 * policy): first the slow thing the step needs soonest — building the HTTP client, where OkHttp's platform probe
 * loads every security provider — then the static state of what it needs later (Nimbus's JWT and JSON parsing, the
 * JDK's XML parser, {@code SecureRandom} for UUIDs, regex, java.time). When the first request is https, a third
 * thread prepares the TLS handshake (see {@link #warmUpTls}). Spring Boot's {@code BackgroundPreinitializer} is the
 * model.
 *
 * <p>The warm-up is side-effect free on throw-away inputs: it never sees an input, a token or a credential, and if it
 * fails the step's thread simply pays that initialisation itself.
 */
final class BackgroundStart {

    private BackgroundStart() {
    }

    /**
     * Starts {@code first} and then the warm-up on a daemon thread; the supplier waits for {@code first}'s result.
     *
     * @param tls whether the step's first request is https (always, on a runner): then a third thread parses the
     *            JDK's trust store and sets up the TLS context meanwhile, the longest part of the first https
     *            request, which would otherwise follow OkHttp's own start-up instead of running beside it
     */
    static <T> Supplier<T> start(Callable<T> first, boolean tls) {
        FutureTask<T> task = new FutureTask<>(first);
        if (tls) {
            daemon(BackgroundStart::warmUpTls, "background-tls");
        }
        daemon(() -> {
            task.run();
            warmUp();
        }, "background-start");
        return () -> result(task);
    }

    private static void daemon(Runnable work, String name) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static <T> T result(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting up", e);
        } catch (ExecutionException e) {
            // Thrown as if built on the caller's thread, as before the work moved.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * What the first TLS 1.3 handshake spends most of its time on, on a cold JVM: the key shares of the ClientHello
     * (the JDK offers x25519 and secp256r1; the first P-256 key pair builds the JDK's precomputed generator table,
     * 100 to 150 ms of CPU), the platform trust store (parsed once, then kept by the JDK for the TLS client OkHttp
     * builds) and the TLS context's static state (protocols, cipher suites). Throw-away keys, never used for anything.
     */
    private static void warmUpTls() {
        try {
            KeyPairGenerator p256 = KeyPairGenerator.getInstance("EC");
            p256.initialize(new ECGenParameterSpec("secp256r1"));
            p256.generateKeyPair();
            KeyPairGenerator x25519 = KeyPairGenerator.getInstance("XDH");
            x25519.initialize(NamedParameterSpec.X25519);
            x25519.generateKeyPair();
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init((KeyStore) null);
            SSLContext.getInstance("TLS").init(null, trust.getTrustManagers(), null);
        } catch (GeneralSecurityException | LinkageError ignored) {
            // As for the warm-up: the first https request does this itself.
        }
    }

    private static void warmUp() {
        try {
            // An unsecured JWT ({"alg":"none"}, no claims): parsing it initialises Nimbus's JSON and Base64URL code.
            JWTParser.parse("eyJhbGciOiJub25lIn0.e30.").getJWTClaimsSet();
            UUID.randomUUID();
            DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
            xml.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            xml.newDocumentBuilder().parse(new ByteArrayInputStream("<a/>".getBytes(StandardCharsets.UTF_8)));
            Redactor.of("background-start").redact("background start");
            DateTimeFormatter.ISO_INSTANT.format(Instant.EPOCH);
        } catch (Exception | LinkageError ignored) {
            // An optimisation only: the step initialises whatever did not get done here by itself.
        }
    }
}
