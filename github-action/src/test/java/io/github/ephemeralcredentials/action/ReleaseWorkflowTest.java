package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * .github/workflows/release.yml does what a release needs ({@link ReleaseWorkflow}), and the check would notice if
 * it stopped doing it: each mutation below breaks one thing in a copy of the real file, and must be reported.
 */
class ReleaseWorkflowTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void gitAndBash() {
        assumeTrue(runs("git", "--version") && runs("bash", "--version"),
                "the release commit step runs under bash with git: apt-get install -y git bash");
    }

    private static boolean runs(String... command) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void theReleaseWorkflowDoesWhatAReleaseNeeds() throws Exception {
        assertThat(ReleaseWorkflow.problems(ReleaseWorkflow.text(), dir)).isEmpty();
    }

    @Test
    void mainKeepsBuildingTheImageFromItsDockerfile() throws Exception {
        assertThat(java.nio.file.Files.readAllLines(Path.of("..", "action.yml"))).contains("  image: Dockerfile");
    }

    @Test
    void theTagGlobsMatchAsGitHubsFilterPatternsDo() {
        assertThat(ReleaseWorkflow.globMatches("v[0-9]+.[0-9]+.[0-9]+", "v12.0.3")).isTrue();
        assertThat(ReleaseWorkflow.globMatches("v[0-9]+.[0-9]+.[0-9]+", "v1.2")).isFalse();
        assertThat(ReleaseWorkflow.globMatches("v[0-9]+.[0-9]+.[0-9]+", "v1x2y3")).isFalse();
        assertThat(ReleaseWorkflow.globMatches("v*", "v1")).isTrue();
        assertThat(ReleaseWorkflow.globMatches("v*", "v1/x")).isFalse();
        assertThat(ReleaseWorkflow.globMatches("v**", "v1/x")).isTrue();
    }

    static Stream<Arguments> brokenCopies() {
        String qemu = "      - uses: docker/setup-qemu-action@96fe6ef7f33517b61c61be40b68a1882f3264fb8 # v4.2.0\n";
        String output = "          outputs: type=image," + ReleaseWorkflow.ZSTD_OUTPUT + "\n";
        return Stream.of(
                Arguments.of("a branch trigger", "  push:\n    tags:", "  push:\n    branches: [main]\n    tags:",
                        "pushed tags only"),
                Arguments.of("a pull_request trigger", "\non:\n", "\non:\n  pull_request:\n", "pushed tags only"),
                Arguments.of("a tag glob that a major tag matches",
                        "      - 'v[0-9]+.[0-9]+.[0-9]+'\n      - 'v[0-9]+.[0-9]+.[0-9]+-*'\n", "      - 'v*'\n",
                        "matches v1"),
                Arguments.of("one platform", "linux/amd64,linux/arm64", "linux/amd64", "platforms"),
                Arguments.of("gzip layers, the default", output, "", "exactly one output"),
                Arguments.of("gzip layers, named", "compression=zstd,", "compression=gzip,", "compression=zstd"),
                Arguments.of("the base layer left gzip", "force-compression=true", "force-compression=false",
                        "force-compression"),
                Arguments.of("Docker media types", "oci-mediatypes=true", "oci-mediatypes=false", "oci-mediatypes"),
                Arguments.of("a level below the best encoder", "compression-level=19", "compression-level=3",
                        "compression-level"),
                Arguments.of("no level", "compression-level=19,", "", "compression-level"),
                Arguments.of("a local export instead of the image", "outputs: type=image,",
                        "outputs: type=local,dest=out,", "type=image"),
                Arguments.of("a second output", output, "          outputs: |\n            type=image,"
                        + ReleaseWorkflow.ZSTD_OUTPUT + "\n            type=docker,dest=out.tar\n", "exactly one output"),
                Arguments.of("no QEMU for arm64", qemu, "", "setup-qemu-action"),
                Arguments.of("the attestation kept out of the registry", "push-to-registry: true",
                        "push-to-registry: false", "push-to-registry"),
                Arguments.of("an attestation of something else", "subject-digest: ${{ steps.build.outputs.digest }}",
                        "subject-digest: ${{ github.sha }}", "subject-digest"),
                Arguments.of("the image job may rewrite the repository",
                        "      contents: read\n      packages: write", "      contents: write\n      packages: write",
                        "job image must ask for exactly"),
                Arguments.of("the commit job may push packages",
                        "      contents: write       # push", "      packages: write\n      contents: write       # push",
                        "must ask for exactly"),
                Arguments.of("permissions for every job", "permissions: {}", "permissions: write-all",
                        "top-level permissions"),
                Arguments.of("an action pinned by a tag",
                        "docker/login-action@4907a6ddec9925e35a0a9e82d7399ccc52663121 # v4.1.0",
                        "docker/login-action@v4", "not pinned"),
                Arguments.of("DIGEST from the wrong output", "DIGEST: ${{ needs.image.outputs.digest }}",
                        "DIGEST: ${{ needs.image.outputs.image }}", "DIGEST must be"),
                Arguments.of("an expression spliced into the script", "image=\"docker://${IMAGE}@${DIGEST}\"",
                        "image=\"docker://${IMAGE}@${{ needs.image.outputs.digest }}\"", "splices an expression"),
                Arguments.of("the image pinned by tag, not digest", "image=\"docker://${IMAGE}@${DIGEST}\"",
                        "image=\"docker://${IMAGE}:${TAG}\"", "runs.image must be"),
                Arguments.of("an empty digest accepted",
                        "[[ \"$DIGEST\" =~ ^sha256:[0-9a-f]{64}$ ]] ||", "true ||", "no digest"),
                Arguments.of("the major tag moved by every release",
                        "if [ -z \"$prerelease\" ] && [ \"$newest\" = \"$TAG\" ]; then", "if true; then",
                        "must not move v1"),
                Arguments.of("main rewritten too", "git push --force origin \"${refs[@]}\"",
                        "git push --force origin \"${refs[@]}\" HEAD:refs/heads/main", "must not push to a branch"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCopies")
    void aBrokenCopyIsReported(String what, String from, String to, String reported) throws Exception {
        String real = ReleaseWorkflow.text();
        assertThat(real).as("the mutation's anchor is in release.yml").contains(from);
        List<String> problems = ReleaseWorkflow.problems(real.replace(from, to), dir);
        assertThat(problems).as(what).anySatisfy(p -> assertThat(p).contains(reported));
    }
}
