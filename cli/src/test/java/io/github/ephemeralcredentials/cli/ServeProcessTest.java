package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as its own process, as operators run it: the provider choice is process-wide, so it is tested where it
 * is made, not in this test JVM. Each run stops at the start-up line.
 */
class ServeProcessTest {

    @TempDir
    Path dir;

    /** The start-up line of {@code serve} on {@code crypto}, or what it printed instead, within 60 s. */
    private String startUpLine(String crypto) throws Exception {
        Files.copy(Path.of("..", "examples", "service", "policy.yaml"), dir.resolve("policy.yaml"));
        Path config = Files.writeString(dir.resolve("service-" + crypto + ".yaml"), """
                listen: 127.0.0.1:0
                url: http://127.0.0.1:8080
                trust: [https://token.actions.githubusercontent.com]
                policy: policy.yaml
                crypto: %s
                """.formatted(crypto));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process serve = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.github.ephemeralcredentials.cli.Main", "serve", "--config", config.toString())
                .redirectErrorStream(true).start();
        try {
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                List<String> seen = new ArrayList<>();
                try (BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String next = out.readLine(); next != null; next = out.readLine()) {
                        if (next.startsWith("ephemeral-credentials serve: listening on")) {
                            return next;
                        }
                        seen.add(next);
                    }
                } catch (java.io.IOException e) {
                    seen.add(e.toString());
                }
                return String.join("\n", seen);
            });
            return line.get(60, TimeUnit.SECONDS);
        } finally {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void withTheDefaultItSignsWithAwsLcAndSaysSo() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the jar carries AWS-LC for Linux x86-64 only");

        assertThat(startUpLine("auto")).matches("ephemeral-credentials serve: listening on http://127\\.0\\.0\\.1:\\d+ "
                + "\\(policy .*policy\\.yaml; crypto: AWS-LC v[0-9.]+ through AmazonCorrettoCryptoProvider [0-9.]+\\)");
    }

    @Test
    void onJdkItNamesTheJdksProviders() throws Exception {
        assertThat(startUpLine("jdk")).endsWith("; crypto: the JDK's providers (crypto: jdk))");
    }
}
