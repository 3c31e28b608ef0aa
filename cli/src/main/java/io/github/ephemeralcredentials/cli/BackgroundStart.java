package io.github.ephemeralcredentials.cli;

import com.nimbusds.jwt.JWTParser;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * The container's main step starts cold once per job, and most of a cold start is one-time initialisation that does
 * not depend on the step's inputs. A second thread does it while the step's thread reads its inputs (and any trust
 * policy): first the slow thing the step needs soonest — building the HTTP client, where OkHttp's platform probe
 * loads every security provider — then the static state of what it needs later (Nimbus's JWT and JSON parsing, the
 * JDK's XML parser, {@code SecureRandom} for UUIDs, regex, java.time). Spring Boot's
 * {@code BackgroundPreinitializer} is the model.
 *
 * <p>The warm-up is side-effect free on throw-away inputs: it never sees an input, a token or a credential, and if it
 * fails the step's thread simply pays that initialisation itself.
 */
final class BackgroundStart {

    private BackgroundStart() {
    }

    /** Starts {@code first} and then the warm-up on a daemon thread; the supplier waits for {@code first}'s result. */
    static <T> Supplier<T> start(Callable<T> first) {
        FutureTask<T> task = new FutureTask<>(first);
        Thread thread = new Thread(() -> {
            task.run();
            warmUp();
        }, "background-start");
        thread.setDaemon(true);
        thread.start();
        return () -> result(task);
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
