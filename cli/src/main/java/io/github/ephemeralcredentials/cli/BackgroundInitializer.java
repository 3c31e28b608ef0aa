package io.github.ephemeralcredentials.cli;

import com.nimbusds.jwt.JWTParser;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

/**
 * Runs the one-time static initialisation of libraries the container's step needs later (Nimbus's JWT and JSON
 * parsing, the JDK's XML parser, regex and java.time) on a second thread, while
 * the step's own thread is busy with OkHttp's platform probe, which loads every security provider. Each is tens of
 * milliseconds on a cold JVM and the action starts cold once per job; Spring Boot's {@code BackgroundPreinitializer}
 * is the model. Only side-effect-free work on throw-away inputs: nothing here sees an input, a token or a
 * credential, and a failure only means the step's thread pays that initialisation itself.
 */
final class BackgroundInitializer {

    private BackgroundInitializer() {
    }

    static void start() {
        Thread thread = new Thread(BackgroundInitializer::initialize, "background-initializer");
        thread.setDaemon(true);
        thread.start();
    }

    private static void initialize() {
        try {
            // An unsecured JWT ({"alg":"none"}, no claims): parsing it initialises Nimbus's JSON and Base64URL code.
            JWTParser.parse("eyJhbGciOiJub25lIn0.e30.").getJWTClaimsSet();
            DocumentBuilderFactory xml = DocumentBuilderFactory.newInstance();
            xml.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            xml.newDocumentBuilder().parse(new ByteArrayInputStream("<a/>".getBytes(StandardCharsets.UTF_8)));
            Redactor.of("background-initializer").redact("background initializer");
            DateTimeFormatter.ISO_INSTANT.format(Instant.EPOCH);
        } catch (Exception | LinkageError ignored) {
            // An optimisation only: the step initialises whatever did not get done here by itself.
        }
    }
}
