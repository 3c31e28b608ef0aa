package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.action.PostStep;
import io.github.ephemeralcredentials.action.Canary;
import io.github.ephemeralcredentials.action.RunnerEmulation;
import io.github.ephemeralcredentials.action.RunnerFileCommands;
import io.github.ephemeralcredentials.core.peers.CephRgwPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action end to end against a real STS (Ceph RadosGW's AssumeRoleWithWebIdentity): the runner emulation hands
 * out tokens signed by the issuer Ceph trusts, the container's main step assumes the role, the exported credentials
 * sign S3 calls on the same gateway, and the post step blanks them.
 */
@ExtendWith(CephRgwPeer.class)
class AwsEndToEndTest {

    @TempDir
    Path dir;

    private RunnerEmulation runner;

    @BeforeEach
    void start(CephRgwPeer.Node ceph) throws IOException {
        runner = new RunnerEmulation(dir);
        runner.mintWith(audience -> ceph.issuer().mint(runner.subject(),
                List.of(audience == null ? "https://github.com/" + RunnerEmulation.OWNER : audience),
                Duration.ofMinutes(5), runner.claims()));
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    private Map<String, String> inputs(CephRgwPeer.Node ceph, String role) {
        return Map.of("role-to-assume", role, "aws-sts-endpoint", ceph.endpoint(), "audience",
                CephRgwPeer.Node.AUDIENCE, "role-duration-seconds", "900");
    }

    @Test
    void mainAssumesTheRoleTheCredentialsWorkAndPostBlanksThem(CephRgwPeer.Node ceph) throws Exception {
        String role = ceph.role("gha-deploy", runner.subject());

        Container.Result main = Container.run(runner.environment(inputs(ceph, role), true), runner.workspace(),
                "action", "main");
        assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();

        Map<String, String> env = RunnerFileCommands.read(runner.step().env());
        String keyId = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        String session = env.get("AWS_SESSION_TOKEN");
        assertThat(List.of(keyId, secret, session)).allSatisfy(v -> assertThat(v).isNotBlank());

        String bucket = "gha-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(ceph.s3("PUT", "/" + bucket, keyId, secret, session).status()).isEqualTo(200);
        assertThat(ceph.s3("GET", "/", keyId, secret, session).body()).contains("<Name>" + bucket + "</Name>");

        List<String> secrets = List.of(secret, session);
        Canary.maskedBeforeAnythingElse(main.stdout(), secrets);
        Canary.onlyInsideMasks(main.stdout(), secrets);
        assertThat(main.stderr()).doesNotContain(secret, session);
        Canary.absent(Files.readString(runner.step().summary()), secrets);
        Map<String, String> outputs = RunnerFileCommands.read(runner.step().output());
        Canary.absent(String.join("\n", outputs.values()), secrets);
        assertThat(outputs).containsEntry("authenticated-arn", "arn:aws:sts:::assumed-role/gha-deploy/"
                + outputs.get("session-name")).containsKey("expiration");
        assertThat(Files.readString(runner.step().summary())).contains("| ` aws ` | ");

        Map<String, String> state = RunnerFileCommands.read(runner.step().state());
        assertThat(state).containsKey(PostStep.STATE);
        Container.Result post = Container.run(runner.postEnvironment(inputs(ceph, role), state), runner.workspace(),
                "action", "post");
        assertThat(post.exitCode()).as(post.stdout() + post.stderr()).isZero();
        assertThat(RunnerFileCommands.read(runner.step().env())).containsEntry("AWS_ACCESS_KEY_ID", "")
                .containsEntry("AWS_SECRET_ACCESS_KEY", "").containsEntry("AWS_SESSION_TOKEN", "");
        Canary.onlyInsideMasks(post.stdout(), secrets);
    }

    @Test
    void aDenialShowsTheSubThatWasPresented(CephRgwPeer.Node ceph) throws Exception {
        String role = ceph.role("gha-other", "repo:octo-org/other:ref:refs/heads/main");

        Container.Result main = Container.run(runner.environment(inputs(ceph, role), true), runner.workspace(),
                "action", "main");
        assertThat(main.exitCode()).isEqualTo(1);
        assertThat(main.stdout()).contains("::group::The OIDC token aws refused (its non-secret claims)")
                .contains("sub: " + runner.subject())
                .contains("aud: " + CephRgwPeer.Node.AUDIENCE)
                .contains("repository: octo-org/octo-repo")
                .contains("runner_environment: github-hosted")
                .contains("::error::aws refused the job's OIDC token (AccessDenied)");
        assertThat(Files.size(runner.step().env())).isZero();
        assertThat(RunnerFileCommands.read(runner.step().state())).isEmpty();
    }
}
