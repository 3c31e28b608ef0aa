package io.github.ephemeralcredentials.core.provider.aws;

import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes credential material to files only the current user can read (mode 0600 from creation, never widened),
 * replacing a file at the target atomically so no reader sees half a file.
 */
final class PrivateFiles {

    private PrivateFiles() {
    }

    /**
     * @param target the file to (re)write, or {@code null} for a new file in {@code defaultDir}
     * @return the file written
     */
    static Path write(Path target, Path defaultDir, String prefix, String content) throws IOException {
        Path dir = target == null ? defaultDir : target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, prefix, ".tmp", CredentialsFileHost.ownerOnly());
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            if (target == null) {
                Path file = dir.resolve(temp.getFileName().toString().replace(".tmp", ""));
                move(temp, file);
                return file;
            }
            move(temp, target);
            return target;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
