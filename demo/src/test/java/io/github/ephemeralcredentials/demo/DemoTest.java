package io.github.ephemeralcredentials.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end, as README's first command runs it: every step as narrated, and no secret in what it prints. */
class DemoTest {

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    @TempDir
    Path dir;

    @Test
    void everyStepBehavesAsNarratedAndTheJsonSaysSoWithoutASecret() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = Demo.run(new PrintStream(out, true, StandardCharsets.UTF_8), false, true, dir.resolve("kept"));

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        JsonNode report = new ObjectMapper().readTree(text);
        assertThat(report.path("ok").asBoolean()).isTrue();
        List<String> titles = report.path("steps").findValuesAsText("title");
        assertThat(titles).containsExactly("An allowed exchange", "A denied exchange",
                "The credential used, revoked, then refused", "A replayed CI token",
                "The inventory, and an anomaly flagged");
        report.path("steps").forEach(step -> assertThat(step.path("ok").asBoolean()).as(step.toString()).isTrue());
        assertThat(text).contains("[FAIL] ref equals").contains("no longer active (revoked)")
                .contains("already exchanged").contains("EPHEMERAL_CREDENTIALS_JWT=***")
                .contains("NEW_RUNNER_ENVIRONMENT_FOR_PROFILE");
        assertThat(JWT.matcher(text).find()).as("no token in the narration").isFalse();

        // The files it was asked to keep: the service's audit trail and the action's, neither holding a token.
        Path kept = dir.resolve("kept");
        String serviceAudit = Files.readString(kept.resolve("service-audit.jsonl"));
        assertThat(serviceAudit).contains("\"ISSUED\"").contains("\"DENIED\"").contains("\"REVOKED\"");
        String actionAudit = Files.readString(kept.resolve("runner/runner_temp/ephemeral-credentials-audit.jsonl"));
        assertThat(actionAudit).contains("\"provider\":\"broker\"");
        assertThat(JWT.matcher(serviceAudit + actionAudit).find()).isFalse();
        var inventory = io.github.ephemeralcredentials.core.audit.inventory.Inventory.read(List.of(
                kept.resolve("service-audit.jsonl"), kept.resolve("runner/runner_temp/ephemeral-credentials-audit.jsonl")));
        assertThat(inventory.problems()).as("both trails read whole").isEmpty();
        assertThat(inventory.profiles()).extracting(p -> p.profile()).contains("deploy-api", "build-cache");
    }

    @Test
    void readmeOpensWithTheDemoAndShowsWhatItPrints() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String firstCommand = readme.substring(readme.indexOf("```\n./") + 4).lines().findFirst().orElse("");
        assertThat(firstCommand).isEqualTo("./ephemeral-credentials demo");
        assertThat(readme).contains("1. An allowed exchange  [ok]", "2. A denied exchange  [ok]",
                "3. The credential used, revoked, then refused  [ok]", "4. A replayed CI token  [ok]",
                "5. The inventory, and an anomaly flagged  [ok]",
                "Every step behaved as narrated.");
    }

    @Test
    void onATerminalItNarratesInColourAndPipedInPlainText() throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        assertThat(Demo.run(new PrintStream(plain, true, StandardCharsets.UTF_8), false, false, null)).isZero();
        assertThat(plain.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b[")
                .contains("1. An allowed exchange  [ok]").contains("Every step behaved as narrated.");

        ByteArrayOutputStream coloured = new ByteArrayOutputStream();
        assertThat(Demo.run(new PrintStream(coloured, true, StandardCharsets.UTF_8), true, false, null)).isZero();
        assertThat(coloured.toString(StandardCharsets.UTF_8)).contains("\u001b[32m").contains("\u001b[0m");
    }
}
