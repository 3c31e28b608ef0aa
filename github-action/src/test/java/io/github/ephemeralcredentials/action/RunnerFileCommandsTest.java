package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The test parser itself must read files as the runner does, or the round-trip tests prove nothing. */
class RunnerFileCommandsTest {

    @Test
    void readsBothFormsAsTheRunnerDoes() {
        String text = "A=1\n\nB=x=y<<z\nC<<EOF\nline1\nline2\nEOF\nD<<EOF\nEOF\nE=\n";
        assertThat(RunnerFileCommands.parse(text, false))
                .containsEntry("A", "1")
                .containsEntry("B", "x=y<<z")
                .containsEntry("C", "line1\nline2")
                .containsEntry("D", "")
                .containsEntry("E", "");
    }

    @Test
    void heredocWinsWhenItComesBeforeTheEqualsSign() {
        assertThat(RunnerFileCommands.parse("A<<D=1\nv\nD=1\n", false)).containsEntry("A", "v");
    }

    @Test
    void crlfIsALineBreakOnWindowsRunnersOnly() {
        String text = "A<<EOF\r\nv\r\nEOF\r\nB=1\r\n";
        assertThat(RunnerFileCommands.parse(text, true)).containsEntry("A", "v").containsEntry("B", "1");
        // On Linux the delimiter line carries the CR; the delimiter read from the header carries it too.
        assertThat(RunnerFileCommands.parse(text, false)).containsEntry("A", "v\r").containsEntry("B", "1\r");
    }

    @Test
    void aHeredocWithoutItsDelimiterIsAnError() {
        assertThatThrownBy(() -> RunnerFileCommands.parse("A<<EOF\nvalue\n", false))
                .hasMessageContaining("Matching delimiter not found");
    }

    @Test
    void laterRecordsWin() {
        assertThat(RunnerFileCommands.parse("A=1\nA=2\n", false)).containsEntry("A", "2");
    }
}
