package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepSummaryTest {

    @TempDir
    Path dir;

    @Test
    void appendsATableWhoseCellsCannotBreakIt() throws IOException {
        Path file = dir.resolve("step_summary");
        Files.writeString(file, "earlier step\n");
        new StepSummary(file).appendTable("Ephemeral credentials", List.of(
                new StepSummary.Row("aws", "arn:aws:sts::1:assumed-role/r|x", "s3:GetObject\nsqs:*", "2030-01-01T00:00:00Z"),
                new StepSummary.Row("vault", null, "", "2030-01-01T00:05:00Z")));

        assertThat(Files.readString(file)).isEqualTo("""
                earlier step
                ### Ephemeral credentials

                | provider | identity | scope | expires |
                | --- | --- | --- | --- |
                | aws | arn:aws:sts::1:assumed-role/r\\|x | s3:GetObject sqs:* | 2030-01-01T00:00:00Z |
                | vault | — | — | 2030-01-01T00:05:00Z |

                """);
    }
}
