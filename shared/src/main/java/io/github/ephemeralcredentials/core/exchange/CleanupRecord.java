package io.github.ephemeralcredentials.core.exchange;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What it takes to clean up after an exchange, as data another step or process can carry and act on: the GitHub
 * Action's post step (through {@code $GITHUB_STATE}), {@code ephemeral-credentials revoke} (a 0600 file) and the
 * Jenkins step's end (its persisted, encrypted state) all read this one record.
 *
 * <p>Revocations hold secrets (the token to revoke): the JSON form is itself a secret, and {@link #toString()} names
 * only what would be revoked.
 *
 * @param provider    the provider that issued the credential
 * @param expiresAt   when the credential expires on its own
 * @param revocations what to revoke, provider by provider
 * @param files       files written for the credential, deleted at cleanup
 * @param variables   environment variables a host exported for it, which it blanks at cleanup where it can
 */
public record CleanupRecord(String provider, Instant expiresAt, List<Revocation> revocations, List<String> files,
                            List<String> variables) {

    /** Larger than any record this project writes by two orders of magnitude; a bigger one is not ours. */
    static final int MAX_JSON_CHARS = 256 * 1024;
    private static final int VERSION = 1;

    public CleanupRecord {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(expiresAt, "expiresAt");
        revocations = List.copyOf(revocations);
        files = List.copyOf(files);
        variables = List.copyOf(variables);
    }

    public static CleanupRecord of(EphemeralCredential credential) {
        return new CleanupRecord(credential.provider(), credential.expiresAt(), credential.revocations(),
                credential.files().stream().map(Path::toString).toList(), List.of());
    }

    public CleanupRecord withVariables(List<String> names) {
        return new CleanupRecord(provider, expiresAt, revocations, files, names);
    }

    public CleanupRecord withFiles(List<String> paths) {
        return new CleanupRecord(provider, expiresAt, revocations, paths, variables);
    }

    /** Every secret the record holds, for masking wherever it travels. */
    public List<String> secrets() {
        return revocations.stream().flatMap(r -> r.parameters().values().stream()).toList();
    }

    public boolean isEmpty() {
        return revocations.isEmpty() && files.isEmpty() && variables.isEmpty();
    }

    /**
     * The record as one line of JSON, through Nimbus's JSON utilities: the GitHub Action's cold container has
     * already loaded them to read the token, and one JSON library loaded instead of two starts measurably sooner.
     */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", VERSION);
        root.put("provider", provider);
        root.put("expiresAt", expiresAt.toString());
        List<Map<String, Object>> revs = new ArrayList<>();
        for (Revocation r : revocations) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("provider", r.provider());
            node.put("kind", r.kind());
            node.put("parameters", new LinkedHashMap<>(r.parameters()));
            revs.add(node);
        }
        root.put("revocations", revs);
        root.put("files", files);
        root.put("variables", variables);
        return JSONObjectUtils.toJSONString(root);
    }

    /**
     * @param where names the record's origin in messages ("the state saved by the main step", "--state FILE")
     * @throws ExchangeException {@code UNREADABLE_CLEANUP_RECORD}, never quoting the record (it holds secrets)
     */
    public static CleanupRecord fromJson(String json, String where) {
        if (json == null || json.isBlank() || json.length() > MAX_JSON_CHARS) {
            throw unreadable(where, json == null || json.isBlank() ? "it is empty"
                    : "it is larger than " + MAX_JSON_CHARS + " characters");
        }
        try {
            Map<String, Object> root = JSONObjectUtils.parse(json.strip());
            if (!(root.get("version") instanceof Number n) || n.intValue() != VERSION) {
                throw unreadable(where, "it has another format version; write and read it with the same release");
            }
            List<Revocation> revocations = new ArrayList<>();
            for (Object item : list(root, "revocations")) {
                if (!(item instanceof Map<?, ?> r)) {
                    throw new NotARecord("a revocation is not an object", 0);
                }
                Map<String, String> parameters = new LinkedHashMap<>();
                if (r.get("parameters") instanceof Map<?, ?> p) {
                    for (Map.Entry<?, ?> e : p.entrySet()) {
                        if (!(e.getValue() instanceof String value)) {
                            throw new NotARecord("a revocation parameter is not a string", 0);
                        }
                        parameters.put(String.valueOf(e.getKey()), value);
                    }
                }
                revocations.add(new Revocation(text(r, "provider"), text(r, "kind"), parameters));
            }
            return new CleanupRecord(text(root, "provider"), Instant.parse(text(root, "expiresAt")), revocations,
                    strings(list(root, "files")), strings(list(root, "variables")));
        } catch (ParseException | DateTimeParseException | ClassCastException | IllegalArgumentException
                 | NullPointerException | StackOverflowError e) {
            // Our own ParseExceptions (offset 0) name a field, never a value: say which, not "not readable JSON".
            throw unreadable(where, e instanceof NotARecord shape
                    ? "it is JSON but not a cleanup record: " + shape.getMessage()
                    : "it is not the JSON this project writes"
                    + (e instanceof ParseException p && p.getErrorOffset() > 0 ? " (offset " + p.getErrorOffset() + ")" : ""));
        }
    }

    /** A shape problem found here: its message names a field, never a value (the parser's own may quote text). */
    private static final class NotARecord extends ParseException {
        NotARecord(String message, int offset) {
            super(message, offset);
        }
    }

    private static ExchangeException unreadable(String where, String why) {
        return new ExchangeException(ExchangeException.Reason.UNREADABLE_CLEANUP_RECORD, where + " cannot be read: "
                + why + "; nothing was revoked — the credentials expire on their own");
    }

    private static String text(Map<?, ?> node, String field) throws ParseException {
        if (node.get(field) instanceof String value) {
            return value;
        }
        throw new NotARecord("the field '" + field + "' is missing or not a string", 0);
    }

    private static List<?> list(Map<?, ?> node, String field) throws ParseException {
        Object value = node.get(field);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw new NotARecord(field + " is not an array", 0);
    }

    private static List<String> strings(List<?> array) throws ParseException {
        List<String> out = new ArrayList<>();
        for (Object item : array) {
            if (!(item instanceof String s)) {
                throw new NotARecord("an entry is not a string", 0);
            }
            out.add(s);
        }
        return out;
    }

    @Override
    public String toString() {
        return "CleanupRecord[" + provider + ", expires " + expiresAt + ", revocations=" + revocations + ", files="
                + files + ", variables=" + variables + "]";
    }
}
