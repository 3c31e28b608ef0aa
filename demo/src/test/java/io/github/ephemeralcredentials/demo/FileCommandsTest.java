package io.github.ephemeralcredentials.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCommandsTest {

    @TempDir
    Path dir;

    @Test
    void readsHeredocsAndNameValueLinesAsTheRunnerDoes() throws IOException {
        Path file = Files.writeString(dir.resolve("env"), "A<<ghadelimiter_1\r\none\ntwo=2\nghadelimiter_1\nB=x<<y\n");

        assertThat(FileCommands.read(file)).containsExactly(java.util.Map.entry("A", "one\ntwo=2"),
                java.util.Map.entry("B", "x<<y"));
    }

    @Test
    void aHeredocWithoutItsDelimiterIsAnError() throws IOException {
        Path file = Files.writeString(dir.resolve("env"), "A<<d\nvalue\n");
        assertThatThrownBy(() -> FileCommands.read(file)).hasMessageContaining("no closing delimiter");
    }
}
