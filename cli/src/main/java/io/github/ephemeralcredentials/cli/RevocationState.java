package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.action.ActionException;
import io.github.ephemeralcredentials.action.ActionState;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The file {@code exchange --state-file} writes and {@code revoke --state} reads: the same state the GitHub Action
 * carries from its main step to its post step (revocations as data, files to delete). Revocations hold secrets (the
 * token to revoke), so the file is created new with mode 0600, never over an existing one.
 */
final class RevocationState {

    private RevocationState() {
    }

    static void write(Path file, EphemeralCredential credential) {
        ActionState state = new ActionState(credential.provider(), credential.expiresAt(), true,
                credential.revocations(), credential.files().stream().map(Path::toString).toList(), List.of());
        byte[] json = (state.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            // Created with 0600 atomically (no window in which another user could open it); CREATE_NEW refuses a
            // file, or a link, that appeared since the check.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(json);
            }
        } catch (FileAlreadyExistsException e) {
            throw new ActionException(ActionException.Reason.INVALID_INPUT, "--state-file " + file + " already "
                    + "exists: run `ephemeral-credentials revoke --state " + file + "` first, or choose another path");
        } catch (IOException | UnsupportedOperationException e) {
            throw new ActionException(ActionException.Reason.INVALID_INPUT, "cannot create --state-file " + file
                    + " (" + e.getClass().getSimpleName() + "); nothing was printed — the credentials expire at "
                    + credential.expiresAt() + "; check that the directory exists and is writable");
        }
    }

    static ActionState read(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ActionException(ActionException.Reason.INVALID_INPUT, "cannot read the state file " + file
                    + " (" + e.getClass().getSimpleName() + "); give the path `exchange --state-file` wrote");
        }
        try {
            return ActionState.fromJson(json.strip());
        } catch (ActionException e) {
            // Never quote the file: it holds secrets.
            throw new ActionException(ActionException.Reason.INVALID_INPUT, "the state file " + file + " is not "
                    + "what `exchange --state-file` writes; nothing was revoked — the credentials expire on their own");
        }
    }
}
