package io.github.ephemeralcredentials.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads the JSON Lines trails {@link JsonLinesAuditWriter} writes (the action's, the plugin's, the service's), plain
 * or gzip-compressed (recognised by its magic bytes, not its name), several merged in timestamp order.
 *
 * <p>Audit files are input from many writers and may be hostile: a line that is not a record is skipped and
 * reported with its file and line number (never its content), lines and files are bounded so a {@code /dev/zero} or a
 * gzip bomb ends in an error instead of an exhausted heap, and a symbolic link is refused rather than followed.
 */
public final class AuditReader {

    /** A record is a few hundred bytes; a line this long is not one. */
    public static final int MAX_LINE_CHARS = 64 * 1024;
    /** Decompressed characters read from one file at most. */
    public static final long MAX_FILE_CHARS = 1L << 30;
    /** Records kept from all files together. */
    public static final int MAX_RECORDS = 2_000_000;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8)
                    .maxStringLength(MAX_LINE_CHARS).build())
            .build();

    /** What was read, and what was skipped: {@code file:line: why}, never the line itself. */
    public record Result(List<AuditRecord> records, List<String> problems) {
        public Result {
            records = List.copyOf(records);
            problems = List.copyOf(problems);
        }
    }

    private AuditReader() {
    }

    /**
     * @throws AuditReadException naming the file and what to do when a file cannot be read at all (missing, a link,
     *                            a directory, too large)
     */
    public static Result read(List<Path> files) {
        List<AuditRecord> records = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            readOne(file, records, problems);
        }
        records.sort(Comparator.comparing(AuditRecord::timestamp));
        return new Result(records, problems);
    }

    private static void readOne(Path file, List<AuditRecord> records, List<String> problems) {
        if (Files.isSymbolicLink(file)) {
            throw new AuditReadException(file + ": is a symbolic link; pass the audit file itself");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new AuditReadException(file + ": not a regular file; pass a JSON Lines audit file (.jsonl or .jsonl.gz)");
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
             BufferedReader lines = new BufferedReader(new InputStreamReader(maybeGunzip(raw),
                     StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                             .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
            long chars = 0;
            int number = 0;
            StringBuilder line = new StringBuilder();
            while (true) {
                line.setLength(0);
                boolean tooLong = false;
                int c;
                while ((c = lines.read()) != -1 && c != '\n') {
                    if (++chars > MAX_FILE_CHARS) {
                        throw new AuditReadException(file + ": more than " + MAX_FILE_CHARS + " characters; split the "
                                + "trail (e.g. by month) and read the parts you need");
                    }
                    if (line.length() < MAX_LINE_CHARS) {
                        line.append((char) c);
                    } else {
                        tooLong = true;
                    }
                }
                if (c == -1 && line.isEmpty()) {
                    break;
                }
                number++;
                if (tooLong) {
                    problems.add(file + ":" + number + ": line longer than " + MAX_LINE_CHARS + " characters, skipped");
                } else if (!line.toString().isBlank()) {
                    try {
                        records.add(parse(line.toString()));
                        if (records.size() > MAX_RECORDS) {
                            throw new AuditReadException("more than " + MAX_RECORDS + " audit records; read fewer files");
                        }
                    } catch (IllegalArgumentException | IOException e) {
                        problems.add(file + ":" + number + ": not an audit record (" + e.getMessage() + "), skipped");
                    }
                }
                if (c == -1) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new AuditReadException(file + ": cannot read: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()) + "; check the path and that it is a "
                    + "JSON Lines audit file, plain or gzip", e);
        }
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in;
    }

    /** One line as a record; unknown fields are ignored so newer writers stay readable. */
    static AuditRecord parse(String line) throws IOException {
        AuditRecord.Builder b = AuditRecord.builder();
        String reason = null;
        String detail = null;
        try (JsonParser json = JSON.createParser(line)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken value = json.nextToken();
                switch (name) {
                    case "timestamp" -> b.timestamp(instant(text(json, name), name));
                    case "issuer" -> b.issuer(text(json, name));
                    case "subject" -> b.subject(text(json, name));
                    case "claims" -> b.claims(strings(json, name));
                    case "profile" -> b.profile(text(json, name));
                    case "owner" -> b.owner(text(json, name));
                    case "tags" -> b.tags(list(json, name));
                    case "provider" -> b.provider(text(json, name));
                    case "scope" -> b.scope(text(json, name));
                    case "expiresAt" -> b.expiresAt(instant(text(json, name), name));
                    case "outcome" -> b.outcome(outcome(text(json, name)));
                    case "reason" -> reason = text(json, name);
                    case "detail" -> detail = text(json, name);
                    case "tokenId" -> b.tokenId(text(json, name));
                    case "anomalies" -> b.anomalies(list(json, name));
                    default -> {
                        if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                            json.skipChildren();
                        }
                    }
                }
            }
            if (json.currentToken() != JsonToken.END_OBJECT || json.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the JSON object");
            }
        }
        try {
            return b.reason(reason, detail).build();
        } catch (NullPointerException e) {
            throw new IllegalArgumentException("missing '" + e.getMessage() + "'");
        }
    }

    private static String text(JsonParser json, String name) throws IOException {
        if (json.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("'" + name + "' is not a string");
        }
        return json.getText();
    }

    private static Instant instant(String text, String name) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + name + "' is not an ISO-8601 instant");
        }
    }

    private static AuditRecord.Outcome outcome(String text) {
        try {
            return AuditRecord.Outcome.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'outcome' is not one of ISSUED, DENIED, FAILED, REVOKED");
        }
    }

    private static Map<String, String> strings(JsonParser json, String name) throws IOException {
        if (json.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("'" + name + "' is not an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String key = json.currentName();
            json.nextToken();
            out.put(key, text(json, name + "." + key));
        }
        return out;
    }

    private static List<String> list(JsonParser json, String name) throws IOException {
        if (json.currentToken() != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("'" + name + "' is not an array");
        }
        List<String> out = new ArrayList<>();
        while (json.nextToken() != JsonToken.END_ARRAY) {
            out.add(text(json, name + "[]"));
        }
        return out;
    }
}
