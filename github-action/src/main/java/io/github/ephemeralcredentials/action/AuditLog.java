package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.JsonLinesAuditWriter;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where the step appends its audit record: one JSON line per exchange (issued, denied or failed), redacted with the
 * exchange's secrets. Input {@code audit-log} (relative to the workspace), by default
 * {@code $RUNNER_TEMP/ephemeral-credentials-audit.jsonl}, which a later step can upload as an artifact or ship to a
 * log pipeline; {@code audit-log: none} writes nothing.
 */
public final class AuditLog {

    static final String INPUT = "audit-log";
    static final String DEFAULT_NAME = "ephemeral-credentials-audit.jsonl";

    private final Path file;
    private final Consumer<String> warnings;

    private AuditLog(Path file, Consumer<String> warnings) {
        this.file = file;
        this.warnings = warnings;
    }

    /** Appends to {@code file} ({@code null}: nowhere); problems go to {@code warnings}. */
    public static AuditLog to(Path file, Consumer<String> warnings) {
        return new AuditLog(file, warnings);
    }

    static AuditLog from(ActionInputs inputs, Map<String, String> env, Path workspace, WorkflowCommands commands) {
        Optional<String> asked = inputs.get(INPUT);
        if (asked.isPresent()) {
            return new AuditLog(asked.get().equals("none") ? null : workspace.resolve(asked.get()), commands::warning);
        }
        String temp = env.get("RUNNER_TEMP");
        return new AuditLog(temp == null || temp.isBlank() ? null : Path.of(temp).resolve(DEFAULT_NAME),
                commands::warning);
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * Appends the record, redacted. A write failure is a warning, not a failed step: by then the exchange happened
     * (and the provider keeps its own trail), and failing would leave the job without credentials it was granted.
     */
    public void write(AuditRecord record, Redactor redactor) {
        if (file == null) {
            return;
        }
        try (JsonLinesAuditWriter writer = JsonLinesAuditWriter.append(file)) {
            writer.write(record, redactor);
        } catch (IOException | UncheckedIOException e) {
            warnings.accept("could not append the audit record to " + file + ": "
                    + e.getClass().getSimpleName() + "; check that its directory exists and is writable");
        }
    }
}
