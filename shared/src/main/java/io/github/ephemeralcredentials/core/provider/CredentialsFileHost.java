package io.github.ephemeralcredentials.core.provider;

import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * What the host decides about the files a provider writes for the job's later steps (an AWS shared credentials file,
 * GCP's {@code external_account} file, a file holding the CI token): where they go when the profile names no place,
 * the path the later steps know them by, who may read them, where client libraries get a CI token when they need
 * one, and whether a file holding the CI token itself is any use.
 *
 * <p>Every provider writes through {@link #create} (and {@link #handOver} for a path the profile names), so one host
 * decision covers all of them: a container action (root, seeing the runner's workspace under another path) and the
 * CLI (files private to its user) differ here and nowhere else.
 *
 * @param directory          where this process writes a file when the profile names no place
 * @param jobDirectory       {@code directory} as the job's later steps name it. A container action sees the runner's
 *                           workspace at {@code /github/workspace}, and the runner passes {@code $GITHUB_ENV} values
 *                           to later steps as written, so the exported path must be the runner's own
 * @param namePrefix         the start of every file's name, before its random part; {@code null} for each
 *                           provider's own ({@code aws-credentials-}, {@code gcp-external-account-}, ...). One
 *                           prefix gives the job one pattern to keep out of commits and archives
 * @param forDirectoryOwner  give each file to the owner (uid and gid) of the directory it is written in: a container
 *                           action runs as root while the job's later steps run as the user who owns the workspace.
 *                           Either way a file is mode 0600: its owner is the one user that reads it, and root (job
 *                           containers, container actions) reads it regardless
 * @param tokenEndpoint      the CI's own token endpoint, or {@code null}. With one, GCP's file names that URL as its
 *                           {@code credential_source} and client libraries fetch a fresh CI token whenever they need
 *                           one; without, it names a file holding the token this exchange used
 * @param ciTokenFileRefusal why a file holding the CI token itself (AWS {@code web-identity-token-file}, Azure
 *                           {@code federated-token-file}) would be stale before the job's later steps use it, or
 *                           {@code null} when whoever runs the exchange can keep such a file fresh
 */
public record CredentialsFileHost(Path directory, Path jobDirectory, String namePrefix, boolean forDirectoryOwner,
                                  CiTokenEndpoint tokenEndpoint, String ciTokenFileRefusal) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public CredentialsFileHost {
        directory = directory.toAbsolutePath().normalize();
        jobDirectory = Objects.requireNonNull(jobDirectory, "jobDirectory").normalize();
        if (!jobDirectory.isAbsolute()) {
            throw new IllegalArgumentException("jobDirectory must be absolute: the job's steps run in other directories");
        }
        if (namePrefix != null && !plainNameStart(namePrefix)) {
            throw new IllegalArgumentException("namePrefix must be a plain file name start");
        }
        if (ciTokenFileRefusal != null && ciTokenFileRefusal.isBlank()) {
            throw new IllegalArgumentException("ciTokenFileRefusal must say why, or be null");
        }
    }

    private static boolean plainNameStart(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.contains("\\");
    }

    /**
     * Files only this process's user can read (0600) in {@code directory}, exported as written, under each provider's
     * own names; CI token files allowed (their writer can rewrite them), and GCP's source is a token file.
     */
    public static CredentialsFileHost privateIn(Path directory) {
        return new CredentialsFileHost(directory, directory.toAbsolutePath(), null, false, null, null);
    }

    /** The same files, with a {@code credential_source} URL when {@code endpoint} is not null. */
    public CredentialsFileHost withTokenEndpoint(CiTokenEndpoint endpoint) {
        return new CredentialsFileHost(directory, jobDirectory, namePrefix, forDirectoryOwner, endpoint,
                ciTokenFileRefusal);
    }

    /**
     * The path the job's steps know {@code written} by: under {@link #directory} it moves to {@link #jobDirectory};
     * elsewhere (a path the profile names) it stays as written.
     */
    public String jobPath(Path written) {
        Path absolute = written.toAbsolutePath().normalize();
        return absolute.startsWith(directory) ? jobDirectory.resolve(directory.relativize(absolute)).toString()
                : absolute.toString();
    }

    /**
     * Creates a new file (never over an existing one) named {@code <prefix><16 hex digits><suffix>} in {@code dir},
     * mode 0600 from the first moment, writes {@code content} and {@link #handOver hands it over}.
     *
     * @param ownPrefix the provider's own name start, used when the host gives none
     * @param written   gets the file as soon as it exists, so a caller that fails later deletes it too
     */
    public Path create(Path dir, String ownPrefix, String suffix, String content, List<Path> written) throws IOException {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        Path file = dir.resolve((namePrefix != null ? namePrefix : ownPrefix) + HexFormat.of().formatHex(random) + suffix);
        // Created and written through one descriptor, never by name again: a link swapped in between is not followed.
        try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file, java.util.Set.of(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), ownerOnly())) {
            written.add(file);
            java.nio.ByteBuffer bytes = StandardCharsets.UTF_8.encode(content);
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
        handOver(file);
        return file;
    }

    /**
     * Creates {@code dir} and its missing parents, each owner-only (0700) and {@link #handOver handed over} as it is
     * made: a directory root makes in the workspace for a path a profile names must not stay root's, where the
     * job's user could neither use nor remove it.
     */
    public Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        java.util.Deque<Path> missing = new java.util.ArrayDeque<>();
        for (Path d = absolute; d != null && !Files.exists(d, LinkOption.NOFOLLOW_LINKS); d = d.getParent()) {
            missing.push(d);
        }
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        while (!missing.isEmpty()) {
            Path d = missing.pop();
            if (posix) {
                Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(d);
            }
            handOver(d);
        }
        return absolute;
    }

    /**
     * Mode 0600 from creation, for every file holding credential material. Elsewhere (Windows) a new file in the
     * user's temporary directory inherits an owner-only ACL, so no attribute is needed there.
     */
    public static FileAttribute<?>[] ownerOnly() {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
        }
        return new FileAttribute<?>[0];
    }

    /**
     * Removes {@code directory} and everything below it, never following a link (a link is removed, not its target):
     * for a host's private directory when the host stops.
     */
    public static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(directory, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a)
                    throws IOException {
                Files.delete(file);
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * With {@link #forDirectoryOwner}, gives {@code file} (already 0600) to the owner and group of {@link #directory}
     * when it lies there, at any depth, else of the directory it is in, unless this process already is that owner.
     * The workspace's owner, not the parent's: a subdirectory this process just created for a path the profile names
     * is its own (root's). A process that is neither root nor the owner fails here, loudly, rather than leave a file
     * the job's steps cannot read.
     */
    public void handOver(Path file) throws IOException {
        if (!forDirectoryOwner || !FileSystems.getDefault().supportedFileAttributeViews().contains("unix")) {
            return;
        }
        Path absolute = file.toAbsolutePath().normalize();
        Path ownedBy = absolute.startsWith(directory) ? directory : absolute.getParent();
        Object owner = Files.getAttribute(ownedBy, "unix:uid");
        // lchown: a link planted in the file's place gets the owner, never the file it points at.
        if (!owner.equals(Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
            Files.setAttribute(file, "unix:gid", Files.getAttribute(ownedBy, "unix:gid"), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(file, "unix:uid", owner, LinkOption.NOFOLLOW_LINKS);
        }
    }

    /**
     * Refuses, before anything is sent, a profile that asks for a file holding the CI token where it would go stale
     * unseen.
     *
     * @param parameter the profile parameter asking for the file
     * @param instead   what the profile should do instead, in the provider's terms
     */
    public void checkCiTokenFile(String provider, String parameter, String instead) {
        if (ciTokenFileRefusal != null) {
            throw new ProviderException(provider, Reason.INVALID_PARAMETERS, null, provider + ": parameter '"
                    + parameter + "' is refused here: " + ciTokenFileRefusal + "; " + instead);
        }
    }

    /**
     * A CI system's endpoint that hands out the job's OIDC token on request — GitHub Actions'
     * {@code ACTIONS_ID_TOKEN_REQUEST_URL}, answered with {@code {"value": "<jwt>"}} for a bearer request.
     *
     * @param url    the endpoint; the token's audience is added as the {@code audience} query parameter
     * @param bearer the bearer token the endpoint requires (a secret: it can mint the job's tokens until the job
     *               ends)
     */
    public record CiTokenEndpoint(HttpUrl url, String bearer) {

        public CiTokenEndpoint {
            Objects.requireNonNull(url, "url");
            if (bearer == null || bearer.isBlank()) {
                throw new IllegalArgumentException("bearer must not be blank");
            }
        }

        /** The endpoint's URL for tokens with {@code audience}, as {@code @actions/core} builds it. */
        public HttpUrl forAudience(String audience) {
            return url.newBuilder().setQueryParameter("audience", audience).build();
        }

        @Override
        public String toString() {
            return "CiTokenEndpoint[" + url.host() + "]";
        }
    }
}
