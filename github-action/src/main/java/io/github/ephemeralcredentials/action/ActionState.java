package io.github.ephemeralcredentials.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.credential.Revocation;
import java.time.Instant;
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

    private record Stored(int version, String provider, String expiresAt, boolean revoke, List<StoredRevocation> revocations, List<String> files,
                          List<String> exportedEnv) {
    }

    private record StoredRevocation(String provider, String kind, Map<String, String> parameters) {
    }

    public String toJson() {
        Stored stored = new Stored(1, provider, expiresAt.toString(), revoke,
                revocations.stream().map(r -> new StoredRevocation(r.provider(), r.kind(), r.parameters())).toList(),
                files, exportedEnv);
        try {
            return JSON.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the action state", e);
        }
    }

    public static ActionState fromJson(String json) {
        try {
            Stored stored = JSON.readValue(json, Stored.class);
            if (stored.version() != 1) {
                throw new ActionException(ActionException.Reason.NOT_IN_RUNNER, "the saved state has version "
                        + stored.version() + "; the main and post steps must run the same action version");
            }
            return new ActionState(stored.provider(), Instant.parse(stored.expiresAt()), stored.revoke(),
                    stored.revocations() == null ? List.of() : stored.revocations().stream()
                            .map(r -> new Revocation(r.provider(), r.kind(), r.parameters() == null ? Map.of() : r.parameters()))
                            .toList(),
                    stored.files() == null ? List.of() : stored.files(),
                    stored.exportedEnv() == null ? List.of() : stored.exportedEnv());
        } catch (JsonProcessingException | java.time.format.DateTimeParseException | NullPointerException e) {
            // Never quote the state: it holds secrets.
            throw new ActionException(ActionException.Reason.NOT_IN_RUNNER, "the state saved by the main step ("
                    + "STATE_" + NAME + ") is not readable JSON"
                    + (e instanceof JsonProcessingException j && j.getLocation() != null
                            ? " (column " + j.getLocation().getColumnNr() + ")" : "")
                    + "; nothing was revoked — the credentials expire on their own");
        }
    }

    @Override
    public String toString() {
        return "ActionState[" + provider + ", expires " + expiresAt + ", revoke=" + revoke + ", revocations=" + revocations + ", files=" + files + ", env="
                + exportedEnv + "]";
    }
}
