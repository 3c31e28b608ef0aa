package io.github.ephemeralcredentials.core.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.security.auth.module.UnixSystem;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one way every provider writes a file for the job: names, mode, owner, the exported path, CI token files. */
class CredentialsFileHostTest {

    @TempDir
    Path temp;

    private static final Path ON_RUNNER = Path.of("/home/runner/work/app/app");

    private CredentialsFileHost forJob(Path workspace) {
        return new CredentialsFileHost(workspace, ON_RUNNER, "gha-creds-", true, null,
                "nothing rewrites it during the job");
    }

    private static int processUid() {
        return (int) new UnixSystem().getUid();
    }

    @Test
    void aPrivateHostWritesOwnerOnlyFilesUnderEachProvidersNameAndExportsThemAsWritten() throws IOException {
        CredentialsFileHost host = CredentialsFileHost.privateIn(temp);
        List<Path> written = new ArrayList<>();

        Path file = host.create(temp, "aws-credentials-", "", "[default]\n", written);

        assertThat(written).containsExactly(file);
        assertThat(file.getParent()).isEqualTo(temp);
        assertThat(file.getFileName().toString()).matches("aws-credentials-[0-9a-f]{16}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(processUid());
        assertThat(host.jobPath(file)).isEqualTo(file.toString());
        assertThat(host.forDirectoryOwner()).isFalse();
        host.checkCiTokenFile("aws", "web-identity-token-file", "never thrown");
    }

    @Test
    void theJobsHostNamesEveryFileAlikeAndExportsItUnderTheRunnersPath() throws IOException {
        CredentialsFileHost host = forJob(temp);
        List<Path> written = new ArrayList<>();

        Path aws = host.create(temp, "aws-credentials-", "", "[default]\n", written);
        Path gcp = host.create(temp, "gcp-external-account-", ".json", "{}", written);

        assertThat(aws.getFileName().toString()).matches("gha-creds-[0-9a-f]{16}");
        assertThat(gcp.getFileName().toString()).matches("gha-creds-[0-9a-f]{16}\\.json");
        assertThat(written).containsExactly(aws, gcp);
        assertThat(host.jobPath(aws)).isEqualTo(ON_RUNNER.resolve(aws.getFileName()).toString());
        // A path a profile names outside the workspace is the same for every step: exported as written.
        Path elsewhere = Path.of("/etc/ci/credentials");
        assertThat(host.jobPath(elsewhere)).isEqualTo(elsewhere.toString());
        for (Path f : written) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        }
    }

    @Test
    void asRootEachFileIsHandedToTheDirectorysOwnerAndStaysOwnerOnly() throws IOException {
        // The container's situation: root writes into a workspace the runner's user owns (uid 1001 on hosted runners).
        Assumptions.assumeTrue(processUid() == 0, "only root can hand a file to another user");
        Path workspace = Files.createDirectories(temp.resolve("workspace"));
        Files.setAttribute(workspace, "unix:gid", 127);
        Files.setAttribute(workspace, "unix:uid", 1001);

        Path file = forJob(workspace).create(workspace, "aws-credentials-", "", "secret", new ArrayList<>());

        assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(1001);
        assertThat(Files.getAttribute(file, "unix:gid")).isEqualTo(127);
        // 0600: the owner is the runner's user, the one who reads it; its group (docker on hosted runners, often a
        // shared group on self-hosted ones) has no business with an AWS key.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        // The same for a file written first at a path the profile names, in a directory root just made for it: the
        // workspace's owner gets it, not the new directory's (root).
        Path named = Files.writeString(Files.createDirectories(workspace.resolve("ci")).resolve("named"), "secret");
        Files.setPosixFilePermissions(named, PosixFilePermissions.fromString("rw-------"));
        forJob(workspace).handOver(named);
        assertThat(Files.getAttribute(named, "unix:uid")).isEqualTo(1001);
        assertThat(Files.getAttribute(named, "unix:gid")).isEqualTo(127);
        // Outside the workspace, the directory it is in decides.
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.setAttribute(outside, "unix:uid", 1002);
        Path there = Files.writeString(outside.resolve("named"), "secret");
        forJob(workspace).handOver(there);
        assertThat(Files.getAttribute(there, "unix:uid")).isEqualTo(1002);
    }

    /** Directories made for a path a profile names belong to the workspace's owner, not to root, and are private. */
    @Test
    void asRootDirectoriesMadeForAProfilesPathAreHandedOverToo() throws IOException {
        Assumptions.assumeTrue(processUid() == 0, "only root can hand a directory to another user");
        Path workspace = Files.createDirectories(temp.resolve("workspace"));
        Files.setAttribute(workspace, "unix:uid", 1001);

        Path made = forJob(workspace).createDirectories(workspace.resolve("ci").resolve("aws"));

        for (Path dir : List.of(made, made.getParent())) {
            assertThat(Files.getAttribute(dir, "unix:uid")).as(dir.toString()).isEqualTo(1001);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        }
        assertThat(Files.getAttribute(workspace, "unix:uid")).isEqualTo(1001);
    }

    /** A link in place of the file (planted after it was written) is handed over itself; its target keeps its owner. */
    @Test
    void asRootALinkInPlaceOfTheFileIsNeverFollowed() throws IOException {
        Assumptions.assumeTrue(processUid() == 0, "only root can hand a file to another user");
        Path workspace = Files.createDirectories(temp.resolve("workspace"));
        Files.setAttribute(workspace, "unix:uid", 1001);
        Path rootOnly = Files.writeString(temp.resolve("root-only"), "precious");
        Path link = Files.createSymbolicLink(workspace.resolve("gha-creds-planted"), rootOnly);

        forJob(workspace).handOver(link);

        assertThat(Files.getAttribute(rootOnly, "unix:uid")).isEqualTo(0);
        assertThat(Files.getAttribute(link, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)).isEqualTo(1001);
        assertThat(rootOnly).hasContent("precious");
    }

    @Test
    void aProcessThatCannotHandTheFileOverFailsWithTheFileListedForDeletion() throws IOException {
        // A world-writable directory someone else owns (/tmp, root's): the file can be written, not given away.
        Path shared = Path.of("/tmp");
        Assumptions.assumeTrue(processUid() != 0 && Files.isWritable(shared)
                && !Files.getAttribute(shared, "unix:uid").equals(processUid()), "needs a non-root process");
        List<Path> written = new ArrayList<>();
        try {
            assertThatThrownBy(() -> forJob(shared).create(shared, "aws-credentials-", "", "secret", written))
                    .isInstanceOf(IOException.class);
            assertThat(written).singleElement();
        } finally {
            for (Path f : written) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    void theJobsHostRefusesACiTokenFileSayingWhyAndWhatInstead() {
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> forJob(temp)
                .checkCiTokenFile("aws", "web-identity-token-file", "remove it and use the exported keys"));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
        assertThat(e.provider()).isEqualTo("aws");
        assertThat(e.getMessage()).isEqualTo("aws: parameter 'web-identity-token-file' is refused here: nothing "
                + "rewrites it during the job; remove it and use the exported keys");
    }

    @Test
    void nameStartsAndReasonsAreChecked() {
        assertThatThrownBy(() -> new CredentialsFileHost(temp, ON_RUNNER, "../x-", true, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CredentialsFileHost(temp, Path.of("relative"), null, true, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CredentialsFileHost(temp, ON_RUNNER, null, true, null, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteTreeRemovesLinksButNeverWhatTheyPointAt() throws IOException {
        Path outside = Files.writeString(temp.resolve("outside.txt"), "keep me");
        Path outsideDir = Files.createDirectories(temp.resolve("outside-dir"));
        Files.writeString(outsideDir.resolve("inner.txt"), "keep me too");
        Path tree = Files.createDirectories(temp.resolve("tree/sub"));
        Files.writeString(tree.resolve("credentials"), "secret");
        Files.createSymbolicLink(tree.resolve("file-link"), outside);
        Files.createSymbolicLink(tree.resolve("dir-link"), outsideDir);

        CredentialsFileHost.deleteTree(temp.resolve("tree"));
        CredentialsFileHost.deleteTree(temp.resolve("tree"));

        assertThat(temp.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("keep me");
        assertThat(outsideDir.resolve("inner.txt")).hasContent("keep me too");
    }
}
