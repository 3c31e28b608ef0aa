package io.github.ephemeralcredentials.core.audit;

import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A JSON Lines audit trail a host appends one record per exchange to. A write failure is a warning, not a failure:
 * by then the exchange happened (and the provider keeps its own trail), and failing would leave the job without
 * credentials it was granted.
 */
public final class AuditFile {

    private final Path file;
    private final Consumer<String> warnings;

    private AuditFile(Path file, Consumer<String> warnings) {
        this.file = file;
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /** Appends to {@code file}, or nowhere when it is {@code null}; problems go to {@code warnings}. */
    public static AuditFile at(Path file, Consumer<String> warnings) {
        return new AuditFile(file, warnings);
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    public void write(AuditRecord record, Redactor redactor) {
        if (file == null) {
            return;
        }
        try (JsonLinesAuditWriter writer = JsonLinesAuditWriter.append(file)) {
            writer.write(record, redactor);
        } catch (JsonLinesAuditWriter.NotAPlainFile e) {
            warnings.accept("could not append the audit record to " + file + ": " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            warnings.accept("could not append the audit record to " + file + ": "
                    + e.getClass().getSimpleName() + "; check that its directory exists and is writable");
        }
    }
}
