package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.exchange.CleanupRecord;
import io.github.ephemeralcredentials.core.exchange.ExchangeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file {@code exchange --state-file} writes and {@code revoke --state} reads: the core's {@link CleanupRecord},
 * the same record the GitHub Action carries to its post step and the Jenkins step to its end. Revocations hold
 * secrets (the token to revoke), so the file is created new with mode 0600, never over an existing one or a link.
 */
final class RevocationState {

    /** Far above any record this project writes; a bigger "state file" is something else (or {@code /dev/zero}). */
    private static final long MAX_BYTES = 256 * 1024;

    private RevocationState() {
    }

    static void write(Path file, CleanupRecord record) {
        byte[] json = (record.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            // Created with 0600 atomically (no window in which another user could open it); CREATE_NEW refuses a
            // file, or a link, that appeared since the check.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
                out.write(json);
            }
        } catch (FileAlreadyExistsException e) {
            throw CommandFailure.badInput("--state-file " + file + " already exists: run `ephemeral-credentials "
                    + "revoke --state " + file + "` first, or choose another path");
        } catch (IOException | UnsupportedOperationException e) {
            throw CommandFailure.badInput("cannot create --state-file " + file + " (" + e.getClass().getSimpleName()
                    + "); nothing was printed — the credentials expire at " + record.expiresAt()
                    + "; check that the directory exists and is writable");
        }
    }

    static CleanupRecord read(Path file) {
        String json;
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw CommandFailure.badInput("the state file " + file + " is not a regular file (a link or a "
                        + "device); give the path `exchange --state-file` wrote");
            }
            if (attributes.size() > MAX_BYTES) {
                throw CommandFailure.badInput("the state file " + file + " is larger than any `exchange "
                        + "--state-file` writes; give the path it wrote");
            }
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CommandFailure.badInput("cannot read the state file " + file + " (" + e.getClass().getSimpleName()
                    + "); give the path `exchange --state-file` wrote");
        }
        try {
            return CleanupRecord.fromJson(json, "the state file " + file);
        } catch (ExchangeException e) {
            throw CommandFailure.badInput(e.getMessage());
        }
    }
}
