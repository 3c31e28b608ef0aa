package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowCommandsTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final WorkflowCommands commands = new WorkflowCommands(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void escapesPercentFirstThenLineBreaks() {
        assertThat(WorkflowCommands.escapeData("50%\r\n%0A")).isEqualTo("50%25%0D%0A%250A");
    }

    @Test
    void masksAMultiLineSecretWholeAndLineByLine() {
        commands.addMask("-----BEGIN KEY-----\r\n  abc%def  \n\n-----END KEY-----");
        assertThat(out()).isEqualTo(
                "::add-mask::-----BEGIN KEY-----%0D%0A  abc%25def  %0A%0A-----END KEY-----\n"
                        + "::add-mask::-----BEGIN KEY-----\n"
                        + "::add-mask::abc%25def\n"
                        + "::add-mask::-----END KEY-----\n");
    }

    @Test
    void aSingleLineSecretIsOneCommandAndABlankOneNone() {
        commands.addMask("s3cr3t");
        commands.addMask("   ");
        commands.addMask("");
        assertThat(out()).isEqualTo("::add-mask::s3cr3t\n");
    }

    @Test
    void aMessageCannotInjectASecondCommand() {
        commands.error("bad\n::add-mask::x");
        commands.info("first\n   ::add-mask::y\nsub is repo:o/r ##[add-mask]z");
        commands.info("plain text");
        assertThat(commandsTheRunnerRuns(out())).containsExactly("error");
        assertThat(out()).contains("first\n   ::add-mask::y\nsub is repo:o/r ##[add-mask]z\n")
                .endsWith("plain text\n");
        assertThat(out().lines().filter(l -> l.startsWith("::stop-commands::"))).hasSize(1);
    }

    /**
     * The runner's reading of a step's stdout (actions/runner ActionCommandManager): a line is a command when,
     * trimmed, it starts with {@code ::}, or when it holds the legacy {@code ##[} anywhere; after
     * {@code ::stop-commands::TOKEN} nothing is, until the line {@code ::TOKEN::}.
     */
    private static List<String> commandsTheRunnerRuns(String stdout) {
        List<String> ran = new ArrayList<>();
        String resume = null;
        for (String line : stdout.lines().toList()) {
            String trimmed = line.strip();
            if (resume != null) {
                if (trimmed.equals("::" + resume + "::")) {
                    resume = null;
                }
            } else if (trimmed.startsWith("::stop-commands::")) {
                resume = trimmed.substring("::stop-commands::".length());
            } else if (trimmed.startsWith("::")) {
                ran.add(trimmed.substring(2, trimmed.indexOf("::", 2)).split(" ")[0]);
            } else if (line.contains("##[")) {
                ran.add(line.substring(line.indexOf("##[") + 3).split("[] ]")[0]);
            }
        }
        return ran;
    }

    @Test
    void groupsDebugAndWarnings() {
        commands.group("Claims");
        commands.debug("d");
        commands.warning("w");
        commands.endGroup();
        assertThat(out().lines()).containsExactly("::group::Claims", "::debug::d", "::warning::w", "::endgroup::");
    }
}
