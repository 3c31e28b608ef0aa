package io.github.ephemeralcredentials.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;

/**
 * Writes one JSON object per line (JSON Lines), one line per {@link AuditRecord}, flushed at once so a crashed job
 * still leaves its trail. Field names are stable; absent values are omitted. Every text field goes through the
 * given {@link Redactor} first, as a last line of defence against a secret that slipped into a message.
 *
 * <p>Thread-safe: each record is written as one {@code write} of a whole line.
 */
public final class JsonLinesAuditWriter implements Closeable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutputStream out;
    private final boolean owned;

    /** Writes to {@code out}, which the caller keeps and closes. */
    public JsonLinesAuditWriter(OutputStream out) {
        this(out, false);
    }

    private JsonLinesAuditWriter(OutputStream out, boolean owned) {
        this.out = Objects.requireNonNull(out, "out");
        this.owned = owned;
    }

    /** Appends to {@code file}, creating it (and no directories) if needed. */
    public static JsonLinesAuditWriter append(Path file) throws IOException {
        return new JsonLinesAuditWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), true);
    }

    /**
     * Writes the record, redacted.
     *
     * @param redactor the secrets of this exchange (issued values, the CI token); {@link Redactor#none()} if there
     *                 were none
     */
    public void write(AuditRecord record, Redactor redactor) {
        byte[] line = (toJson(record.redacted(redactor)) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the audit record: " + e.getMessage()
                        + "; check that the audit file is writable and the disk is not full", e);
            }
        }
    }

    /** The record as one line of JSON, without redaction (callers redact first). */
    static String toJson(AuditRecord r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("timestamp", r.timestamp().toString());
        put(node, "issuer", r.issuer());
        put(node, "subject", r.subject());
        if (!r.claims().isEmpty()) {
            ObjectNode claims = node.putObject("claims");
            r.claims().forEach(claims::put);
        }
        put(node, "profile", r.profile());
        put(node, "owner", r.owner());
        if (!r.tags().isEmpty()) {
            r.tags().forEach(node.putArray("tags")::add);
        }
        put(node, "provider", r.provider());
        put(node, "scope", r.scope());
        put(node, "expiresAt", r.expiresAt());
        node.put("outcome", r.outcome().name());
        put(node, "reason", r.reason());
        put(node, "detail", r.detail());
        put(node, "tokenId", r.tokenId());
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit record could not be rendered as JSON", e);
        }
    }

    private static void put(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    private static void put(ObjectNode node, String name, Instant value) {
        if (value != null) {
            node.put(name, value.toString());
        }
    }

    @Override
    public void close() throws IOException {
        if (owned) {
            out.close();
        } else {
            out.flush();
        }
    }
}
