package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --check}: the documented example validates; a broken configuration names each problem's place. */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void theExampleConfigurationAndItsPolicyAreValid() {
        CliRun run = CliRun.of("serve", "--config", Path.of("..", "examples", "service", "service.yaml").toString(),
                "--check");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("valid (listens on 127.0.0.1:8080");
    }

    @Test
    void newSigningKeysArePrivateNeverOverwrittenAndLoadAsTheReplicasKeyRing() throws Exception {
        Path keys = dir.resolve("keys.json");
        assertThat(CliRun.of("serve", "--new-signing-keys", keys.toString()).exitCode()).isZero();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
                .isEqualTo("rw-------");
        String first = Files.readString(keys);
        assertThat(io.github.ephemeralcredentials.core.oidc.KeyRing.fromSecretJson(first).active().kid()).isNotBlank();
        CliRun again = CliRun.of("serve", "--new-signing-keys", keys.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(again.err()).contains("already exists");
        assertThat(Files.readString(keys)).isEqualTo(first);
        assertThat(again.err() + again.out()).doesNotContain(first.strip());
    }

    @Test
    void aBrokenConfigurationOrPolicyIsRefusedWithPositions() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                profiles:
                  p: {provider: asw, maxLifetime: 5m}
                rules: []
                """);
        Path config = Files.writeString(dir.resolve("service.yaml"), """
                url: https://exchange.example.com
                trust: [https://token.actions.githubusercontent.com]
                policy: policy.yaml
                stroe: memory
                """);
        CliRun run = CliRun.of("serve", "--config", config.toString(), "--check");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains(config + ":4:1: unknown key 'stroe'").contains("did you mean 'store'?");

        Files.writeString(config, Files.readString(config).replace("stroe", "store"));
        CliRun policy = CliRun.of("serve", "--config", config.toString(), "--check");
        assertThat(policy.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(policy.err()).contains("policy.yaml:3:17: profile 'p': unknown provider 'asw' (did you mean 'aws'?)");

        CliRun started = CliRun.of("serve", "--config", config.toString());
        assertThat(started.exitCode()).as("without --check the service refuses to start on it, as clearly")
                .isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(started.err()).contains("policy.yaml:3:17: profile 'p': unknown provider 'asw' (did you mean 'aws'?)");
    }
}
