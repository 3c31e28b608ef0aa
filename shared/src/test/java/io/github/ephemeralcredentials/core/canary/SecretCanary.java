package io.github.ephemeralcredentials.core.canary;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.JsonLinesAuditWriter;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Proves a secret leaks nowhere: hands out unique canary secrets for a fake server to return (or for the CI token),
 * captures every {@code java.util.logging} record (root logger at {@code ALL}) and everything written to
 * {@code System.out}/{@code System.err} while open, and checks the outcome of each exchange path — the result's
 * {@code toString()}, the exception chain's messages and stack-trace text, an audit record written for it, and the
 * captured output — for the canaries in any form the {@link Redactor} knows (raw, lines, base64, URL, JSON).
 *
 * <p>Use: {@code try (SecretCanary canary = SecretCanary.start()) { String s = canary.secret("key"); ...
 * canary.check("success", canary.attempt(() -> provider.exchange(request))); }} — one {@code check} per path.
 * Other providers add their own test class with their paths; nothing here is AWS-specific.
 */
public final class SecretCanary implements AutoCloseable {

    private final List<String> secrets = Collections.synchronizedList(new ArrayList<>());
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final Logger root = Logger.getLogger("");
    private final Level originalLevel = root.getLevel();
    private final Handler handler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            logLines.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private SecretCanary() {
    }

    public static SecretCanary start() {
        SecretCanary canary = new SecretCanary();
        canary.root.setLevel(Level.ALL);
        canary.handler.setLevel(Level.ALL);
        canary.root.addHandler(canary.handler);
        PrintStream tee = new PrintStream(canary.console, true, StandardCharsets.UTF_8);
        System.setOut(tee);
        System.setErr(tee);
        return canary;
    }

    /** A new unique secret, {@code canary-<label>-<uuid>}, registered for the checks. */
    public String secret(String label) {
        String secret = "canary-" + label + "-" + UUID.randomUUID();
        secrets.add(secret);
        return secret;
    }

    /** What one exchange path produced: a value or a failure. */
    public record Outcome<T>(T value, Throwable failure) {
    }

    public <T> Outcome<T> attempt(Callable<T> path) {
        try {
            return new Outcome<>(path.call(), null);
        } catch (Throwable t) {
            return new Outcome<>(null, t);
        }
    }

    /**
     * Asserts no canary appears in the outcome (value's {@code toString()}, every message and the printed stack trace
     * of a failure), in {@code audit} written as a JSON line WITHOUT redaction (the record must be clean at the
     * source; the writer's redaction is only a last line of defence), in {@code extra} texts, or in any log or
     * console output so far.
     */
    public void check(String path, Outcome<?> outcome, AuditRecord audit, String... extra) {
        List<String> texts = new ArrayList<>();
        if (outcome.value() != null) {
            texts.add("result toString: " + outcome.value());
        }
        if (outcome.failure() != null) {
            for (Throwable t = outcome.failure(); t != null; t = t.getCause()) {
                texts.add("exception message: " + t.getMessage());
                for (Throwable s : t.getSuppressed()) {
                    texts.add("suppressed message: " + s.getMessage());
                }
            }
            StringWriter trace = new StringWriter();
            outcome.failure().printStackTrace(new PrintWriter(trace));
            texts.add("stack trace: " + trace);
        }
        if (audit != null) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            new JsonLinesAuditWriter(line).write(audit, Redactor.none());
            texts.add("audit record: " + line.toString(StandardCharsets.UTF_8));
        }
        for (String e : extra) {
            texts.add("extra: " + e);
        }
        synchronized (logLines) {
            logLines.forEach(l -> texts.add("log: " + l));
        }
        texts.add("console: " + console.toString(StandardCharsets.UTF_8));
        Redactor detector = Redactor.of(List.copyOf(secrets));
        assertThat(texts).as("path '%s' leaked a canary secret", path).noneMatch(detector::reveals);
    }

    /** Log lines captured so far (for tests that want to see that something was logged at all). */
    public List<String> logLines() {
        return List.copyOf(logLines);
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        root.setLevel(originalLevel);
        System.setOut(originalOut);
        System.setErr(originalErr);
    }
}
