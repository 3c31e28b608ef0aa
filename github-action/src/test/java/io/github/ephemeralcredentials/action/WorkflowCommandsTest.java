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
        assertThat(RunnerStdout.commands(out())).containsExactly("error");
        assertThat(out()).contains("first\n   ::add-mask::y\nsub is repo:o/r ##[add-mask]z\n")
                .endsWith("plain text\n");
        assertThat(out().lines().filter(l -> l.startsWith("::stop-commands::"))).hasSize(1);
    }

    @Test
    void groupsDebugAndWarnings() {
        commands.group("Claims");
        commands.debug("d");
        commands.warning("w");
        commands.endGroup();
        assertThat(out().lines()).containsExactly("::group::Claims", "::debug::d", "::warning::w", "::endgroup::");
    }

    @Test
    void noUnicodeSpaceOrLineSeparatorLetsAClaimIssueACommand() {
        for (char c : RunnerStdout.SPACES_AND_BREAKS.toCharArray()) {
            for (String claim : List.of("x\n" + c + "::set-output name=aws-account-id::X", "x" + c + "::add-mask::y",
                    c + "::add-mask::y", "x\r" + c + "::warning::w", "x" + c + "##[add-mask]z")) {
                bytes.reset();
                commands.info("workflow: " + claim);
                assertThat(RunnerStdout.commands(out())).as("U+%04X in %s", (int) c, claim).isEmpty();
            }
        }
    }

    @Test
    void infoBreaksLinesWhereTheRunnerDoesAndNowhereElse() {
        commands.info("a\u2028b\u0085c\u000Bd\u000Ce\u2029f\r\ng\rh");
        assertThat(RunnerStdout.lines(out())).containsExactly("a\u2028b\u0085c\u000Bd\u000Ce\u2029f", "g", "h");
    }

    @Test
    void aLineWithDoubleColonsAnywhereIsWrapped() {
        commands.info("sub: repo:o/r::ref");
        assertThat(out()).startsWith("::stop-commands::");
        assertThat(RunnerStdout.commands(out())).isEmpty();
    }
}
