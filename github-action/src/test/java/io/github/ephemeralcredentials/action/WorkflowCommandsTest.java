package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        commands.info("first\n::set-env name=A::1");
        assertThat(out().lines()).containsExactly(
                "::error::bad%0A::add-mask::x",
                "first",
                " ::set-env name=A::1");
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
