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
                | ` aws ` | ` arn:aws:sts::1:assumed-role/r\\|x ` | ` s3:GetObject sqs:* ` | ` 2030-01-01T00:00:00Z ` |
                | ` vault ` | — | — | ` 2030-01-01T00:05:00Z ` |

                """);
    }

    /** A server's scope, STS's AssumedRoleId or an input must not become HTML, a link or an image in the summary. */
    @Test
    void noCellCarriesMarkupIntoTheSummary() {
        for (String hostile : List.of("<img src=https://evil.example/x.png>", "[click](https://evil.example)",
                "![x](https://evil.example/p.png)", "<!-- hide the rest", "https://evil.example/auto",
                "a`<b>`c", "``<i>x</i>``", "`", "x\u2028<b>y\u0085</b>\u000B|z", "&lt;script&gt;")) {
            String cell = StepSummary.cell(hostile);
            assertThat(cell).as(hostile).matches("(`+) .* \\1").doesNotContain("\n", "\r", "\u2028", "\u0085", "\u000B");
            String fence = cell.substring(0, cell.indexOf(' '));
            String inside = cell.substring(fence.length() + 1, cell.length() - fence.length() - 1);
            assertThat(inside).as("the code span is not closed early: %s", hostile).doesNotContain(fence);
            assertThat(inside.replace("\\|", "")).as(hostile).doesNotContain("|");
        }
    }
}
