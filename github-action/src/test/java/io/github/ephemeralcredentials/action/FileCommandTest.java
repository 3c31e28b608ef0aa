package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.action.FileCommand.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCommandTest {

    @TempDir
    Path dir;

    @Test
    void valuesRoundTripThroughTheRunnersParser() throws IOException {
        Path env = dir.resolve("set_env_1");
        FileCommand command = new FileCommand(Kind.ENV, env);
        Map<String, String> values = Map.of(
                "PLAIN", "value",
                "MULTI", "line one\nline two\n\nline four",
                "EQUALS", "a=b==c",
                "HEREDOC_LOOKALIKE", "x<<EOF\nEOF\ny",
                "LEADING_TRAILING", "  spaced  ",
                "EMPTY", "",
                "PERCENT", "100%0A real %25",
                "UNICODE", "ключ ✓");
        values.forEach(command::set);

        assertThat(RunnerFileCommands.read(env)).containsExactlyInAnyOrderEntriesOf(values);
    }

    @Property(tries = 300)
    void anyValueWithoutTheDelimiterRoundTrips(@ForAll("values") String value) throws IOException {
        Path file = Files.createTempFile("github_output", "");
        try {
            new FileCommand(Kind.OUTPUT, file).set("out", value);
            // The runner reads LF only on Linux; a CR in a value survives as data.
            assertThat(RunnerFileCommands.read(file)).containsExactly(Map.entry("out", value));
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("ab=<>\n\r %:,\"'EOF_").ofMaxLength(40);
    }

    @Test
    void usesAFreshDelimiterPerRecord() {
        FileCommand command = new FileCommand(Kind.STATE, dir.resolve("state"));
        String first = command.record("A", "1");
        String second = command.record("A", "1");
        assertThat(first).startsWith("A<<ghadelimiter_").isNotEqualTo(second);
        assertThat(first.lines().toList()).hasSize(3);
    }

    @Test
    void refusesAValueThatContainsTheDelimiterWithoutQuotingIt() {
        FileCommand command = new FileCommand(Kind.OUTPUT, dir.resolve("out"), () -> "ghadelimiter_fixed");
        assertThatThrownBy(() -> command.record("token", "s3cr3t\nghadelimiter_fixed\nINJECTED=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contains the delimiter")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> command.record("ghadelimiter_fixed", "v"))
                .hasMessageContaining("contains the delimiter");
    }

    @Test
    void refusesNamesTheRunnerWouldMisread() {
        FileCommand command = new FileCommand(Kind.ENV, dir.resolve("env"));
        for (String bad : new String[] {"", "A=B", "A<<B", "A\nB"}) {
            assertThatThrownBy(() -> command.record(bad, "v")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void neverWritesNodeOptionsToTheEnvironmentFile() {
        Path env = dir.resolve("env");
        FileCommand command = new FileCommand(Kind.ENV, env);
        assertThatThrownBy(() -> command.set("NODE_OPTIONS", "--require /tmp/x.js"))
                .hasMessageContaining("NODE_OPTIONS");
        assertThat(env).doesNotExist();
        // As an output or state name it is harmless data.
        new FileCommand(Kind.OUTPUT, dir.resolve("out")).set("NODE_OPTIONS", "x");
    }
}
