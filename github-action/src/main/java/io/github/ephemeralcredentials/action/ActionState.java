package io.github.ephemeralcredentials.action;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.ephemeralcredentials.core.credential.Revocation;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the post step needs to clean up, carried from the main step through {@code $GITHUB_STATE} (the runner hands
 * it back as {@code STATE_<name>}): the revocations as data, the files to delete, the variables to blank.
 *
 * <p>The revocations hold secrets (the token to revoke), so the serialized state is masked before it is written:
 * the runner debug-logs file-command values.
 */
public record ActionState(String provider, Instant expiresAt, boolean revoke, List<Revocation> revocations,
                          List<String> files, List<String> exportedEnv) {

    /** The state's name; the post step reads it from {@code STATE_ephemeral_credentials}. */
    public static final String NAME = "ephemeral_credentials";

    public ActionState {
        java.util.Objects.requireNonNull(provider, "provider");
        java.util.Objects.requireNonNull(expiresAt, "expiresAt");
        revocations = List.copyOf(revocations);
        files = List.copyOf(files);
        exportedEnv = List.copyOf(exportedEnv);
    }

    /**
     * The state as JSON, through Nimbus's JSON utilities: the step has already loaded them to read the token's
     * claims, and a cold container that loads one JSON library instead of two starts measurably sooner.
     */
    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", 1);
        root.put("provider", provider);
        root.put("expiresAt", expiresAt.toString());
        root.put("revoke", revoke);
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
        root.put("exportedEnv", exportedEnv);
        return JSONObjectUtils.toJSONString(root);
    }

    public static ActionState fromJson(String json) {
        try {
            Map<String, Object> root = JSONObjectUtils.parse(json);
            Object version = root.get("version");
            if (!(version instanceof Number n) || n.intValue() != 1) {
                throw new ActionException(ActionException.Reason.NOT_IN_RUNNER, "the saved state has version "
                        + (version instanceof Number n ? n : -1) + "; the main and post steps must run the same "
                        + "action version");
            }
            List<Revocation> revocations = new ArrayList<>();
            for (Object item : list(root, "revocations")) {
                if (!(item instanceof Map<?, ?> r)) {
                    throw new ParseException("revocation is not an object", 0);
                }
                Map<String, String> parameters = new LinkedHashMap<>();
                if (r.get("parameters") instanceof Map<?, ?> p) {
                    p.forEach((k, v) -> parameters.put(String.valueOf(k), String.valueOf(v)));
                }
                revocations.add(new Revocation(text(r, "provider"), text(r, "kind"), parameters));
            }
            return new ActionState(text(root, "provider"), Instant.parse(text(root, "expiresAt")),
                    Boolean.TRUE.equals(root.get("revoke")), revocations, strings(list(root, "files")),
                    strings(list(root, "exportedEnv")));
        } catch (ParseException | java.time.format.DateTimeParseException | IllegalArgumentException e) {
            // Never quote the state: it holds secrets.
            throw new ActionException(ActionException.Reason.NOT_IN_RUNNER, "the state saved by the main step ("
                    + "STATE_" + NAME + ") is not readable JSON"
                    + (e instanceof ParseException p && p.getErrorOffset() > 0 ? " (offset " + p.getErrorOffset() + ")" : "")
                    + "; nothing was revoked — the credentials expire on their own");
        }
    }

    private static String text(Map<?, ?> node, String field) throws ParseException {
        if (node.get(field) instanceof String value) {
            return value;
        }
        throw new ParseException("missing " + field, 0);
    }

    private static List<?> list(Map<?, ?> node, String field) throws ParseException {
        Object value = node.get(field);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw new ParseException(field + " is not an array", 0);
    }

    private static List<String> strings(List<?> array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(String.valueOf(item)));
        return out;
    }

    @Override
    public String toString() {
        return "ActionState[" + provider + ", expires " + expiresAt + ", revoke=" + revoke + ", revocations=" + revocations + ", files=" + files + ", env="
                + exportedEnv + "]";
    }
}
