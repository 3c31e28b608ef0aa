package io.github.ephemeralcredentials.core.provider.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

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
        Path temp = Files.createTempFile(dir, prefix, ".tmp", ownerOnly());
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

    private static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        // Windows: the temp directory is already per-user.
        return new FileAttribute<?>[0];
    }
}
