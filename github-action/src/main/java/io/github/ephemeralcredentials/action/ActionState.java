package io.github.ephemeralcredentials.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ephemeralcredentials.core.credential.Revocation;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    public ActionState {
        java.util.Objects.requireNonNull(provider, "provider");
        java.util.Objects.requireNonNull(expiresAt, "expiresAt");
        revocations = List.copyOf(revocations);
        files = List.copyOf(files);
        exportedEnv = List.copyOf(exportedEnv);
    }

    /**
     * The state as JSON, written through Jackson's tree model: no bean introspection, which on the once-per-job cold
     * JVM costs more than the rest of the serialisation.
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.put("provider", provider);
        root.put("expiresAt", expiresAt.toString());
        root.put("revoke", revoke);
        ArrayNode revs = root.putArray("revocations");
        for (Revocation r : revocations) {
            ObjectNode node = revs.addObject();
            node.put("provider", r.provider());
            node.put("kind", r.kind());
            ObjectNode parameters = node.putObject("parameters");
            r.parameters().forEach(parameters::put);
        }
        files.forEach(root.putArray("files")::add);
        exportedEnv.forEach(root.putArray("exportedEnv")::add);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the action state", e);
        }
    }

    public static ActionState fromJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            int version = root.path("version").asInt(-1);
            if (version != 1) {
                throw new ActionException(ActionException.Reason.NOT_IN_RUNNER, "the saved state has version "
                        + version + "; the main and post steps must run the same action version");
            }
            List<Revocation> revocations = new ArrayList<>();
            for (JsonNode r : root.path("revocations")) {
                Map<String, String> parameters = new LinkedHashMap<>();
                r.path("parameters").fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
                revocations.add(new Revocation(text(r, "provider"), text(r, "kind"), parameters));
            }
            return new ActionState(text(root, "provider"), Instant.parse(text(root, "expiresAt")),
                    root.path("revoke").asBoolean(false), revocations, strings(root.path("files")),
                    strings(root.path("exportedEnv")));
        } catch (JsonProcessingException | java.time.format.DateTimeParseException | IllegalArgumentException
                 | NullPointerException e) {
            // Never quote the state: it holds secrets.
            throw new ActionException(ActionException.Reason.NOT_IN_RUNNER, "the state saved by the main step ("
                    + "STATE_" + NAME + ") is not readable JSON"
                    + (e instanceof JsonProcessingException j && j.getLocation() != null
                            ? " (column " + j.getLocation().getColumnNr() + ")" : "")
                    + "; nothing was revoked — the credentials expire on their own");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("missing " + field);
        }
        return value.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }

    @Override
    public String toString() {
        return "ActionState[" + provider + ", expires " + expiresAt + ", revoke=" + revoke + ", revocations=" + revocations + ", files=" + files + ", env="
                + exportedEnv + "]";
    }
}
