package io.github.ephemeralcredentials.action;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;

/**
 * The job summary ({@code $GITHUB_STEP_SUMMARY}): Markdown the runner appends to the run's page. Only what a
 * reviewer needs to see who got what — never a secret; callers pass non-secret facts only.
 */
public final class StepSummary {

    /** One row of the table. */
    public record Row(String provider, String identity, String scope, String expiry) {
    }

    private final Path file;

    public StepSummary(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    public void appendTable(String heading, List<Row> rows) {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(heading).append("\n\n");
        md.append("| provider | identity | scope | expires |\n");
        md.append("| --- | --- | --- | --- |\n");
        for (Row row : rows) {
            md.append("| ").append(cell(row.provider()))
                    .append(" | ").append(cell(row.identity()))
                    .append(" | ").append(cell(row.scope()))
                    .append(" | ").append(cell(row.expiry()))
                    .append(" |\n");
        }
        md.append('\n');
        try {
            Files.writeString(file, md, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to $GITHUB_STEP_SUMMARY (" + file + "): " + e.getMessage(), e);
        }
    }

    /**
     * Keeps a value inside its table cell and out of the Markdown: a code span (no HTML, links, images, comments or
     * autolinks inside one) fenced with more backticks than any run in the value, pipes escaped (GitHub's tables
     * split on them even in code), every line break and control character flattened to a space; empty shown as a
     * dash. The spaces inside the fence are CommonMark's, stripped when rendered.
     */
    static String cell(String value) {
        if (value == null || value.isBlank()) {
            return "—";
        }
        String flat = value.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}\\u0085]", " ").strip().replace("|", "\\|");
        int longest = 0;
        int run = 0;
        for (int i = 0; i < flat.length(); i++) {
            run = flat.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(longest + 1);
        return fence + " " + flat + " " + fence;
    }
}
