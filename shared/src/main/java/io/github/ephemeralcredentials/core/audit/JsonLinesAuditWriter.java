package io.github.ephemeralcredentials.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one JSON object per line (JSON Lines), one line per {@link AuditRecord}, flushed at once so a crashed job
 * still leaves its trail. Field names are stable; absent values are omitted. Every text field goes through the
 * given {@link Redactor} first, as a last line of defence against a secret that slipped into a message.
 *
 * <p>Thread-safe: each record is written as one {@code write} of a whole line.
 */
public final class JsonLinesAuditWriter implements Closeable {

    private static final JsonFactory JSON = new JsonFactory();

    /**
     * JSON's own escapes (control characters) plus every character some reader of JSON Lines takes for a line break:
     * Python's {@code splitlines()} breaks at U+0085, U+2028, U+2029 and the file, group and record separators.
     */
    private static final CharacterEscapes LINE_SAFE = new CharacterEscapes() {
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return ch == 0x85 || ch == 0x2028 || ch == 0x2029
                    ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    };

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

    /**
     * Appends to {@code file}, creating it (and no directories) if needed. A host often runs as root (the GitHub
     * Action's container) in a directory others write to: a link in the file's place is never followed (the open is
     * {@code O_NOFOLLOW}) and anything but a regular file (a FIFO would block the open, a device would swallow the
     * record) is refused.
     */
    public static JsonLinesAuditWriter append(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new NotAPlainFile("it is a symbolic link; the audit log is never written through a link (remove it)");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new NotAPlainFile("it is not a regular file; name a file for the audit log");
        }
        return new JsonLinesAuditWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), true);
    }

    /** The audit log's place holds a link or something other than a regular file; the message says which. */
    public static final class NotAPlainFile extends IOException {
        NotAPlainFile(String message) {
            super(message);
        }
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

    /**
     * The record as one line of JSON, without redaction (callers redact first). Written with Jackson's streaming
     * generator: jackson-core alone, so a one-shot host (the action's cold container) does not load databind for
     * one line.
     */
    static String toJson(AuditRecord r) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text).setCharacterEscapes(LINE_SAFE)) {
            json.writeStartObject();
            json.writeStringField("timestamp", r.timestamp().toString());
            put(json, "issuer", r.issuer());
            put(json, "subject", r.subject());
            if (!r.claims().isEmpty()) {
                json.writeObjectFieldStart("claims");
                for (Map.Entry<String, String> claim : r.claims().entrySet()) {
                    json.writeStringField(claim.getKey(), claim.getValue());
                }
                json.writeEndObject();
            }
            put(json, "profile", r.profile());
            put(json, "owner", r.owner());
            if (!r.tags().isEmpty()) {
                json.writeArrayFieldStart("tags");
                for (String tag : r.tags()) {
                    json.writeString(tag);
                }
                json.writeEndArray();
            }
            put(json, "provider", r.provider());
            put(json, "scope", r.scope());
            put(json, "expiresAt", r.expiresAt() == null ? null : r.expiresAt().toString());
            json.writeStringField("outcome", r.outcome().name());
            put(json, "reason", r.reason());
            put(json, "detail", r.detail());
            put(json, "tokenId", r.tokenId());
            if (!r.anomalies().isEmpty()) {
                json.writeArrayFieldStart("anomalies");
                for (String anomaly : r.anomalies()) {
                    json.writeString(anomaly);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("audit record could not be rendered as JSON", e);
        }
        return text.toString();
    }

    private static void put(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
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
