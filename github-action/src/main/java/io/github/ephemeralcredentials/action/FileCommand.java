package io.github.ephemeralcredentials.action;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One of the runner's file commands ({@code $GITHUB_ENV}, {@code $GITHUB_OUTPUT}, {@code $GITHUB_STATE}): a file
 * the step appends {@code NAME<<DELIMITER\nVALUE\nDELIMITER\n} records to and the runner reads after the step.
 *
 * <p>Always the heredoc form with a fresh {@code ghadelimiter_<uuid>}: it carries any value, multi-line or
 * holding {@code =} and {@code <<}, and a name or value that contains the delimiter is refused rather than
 * allowed to end the record early and inject another variable. The runner debug-logs these values, so callers
 * mask every secret before writing it here.
 */
public final class FileCommand {

    /** Which file, named as the runner names the variable that holds its path. */
    public enum Kind {
        ENV("GITHUB_ENV"), OUTPUT("GITHUB_OUTPUT"), STATE("GITHUB_STATE");

        private final String variable;

        Kind(String variable) {
            this.variable = variable;
        }

        public String variable() {
            return variable;
        }
    }

    /** The runner refuses these in {@code $GITHUB_ENV}; we refuse them before it has to. */
    private static final Set<String> REFUSED_ENV_NAMES = Set.of("NODE_OPTIONS");

    private final Kind kind;
    private final Path file;
    private final Supplier<String> delimiters;

    public FileCommand(Kind kind, Path file) {
        this(kind, file, () -> "ghadelimiter_" + UUID.randomUUID());
    }

    FileCommand(Kind kind, Path file, Supplier<String> delimiters) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.file = Objects.requireNonNull(file, "file");
        this.delimiters = delimiters;
    }

    public Kind kind() {
        return kind;
    }

    public Path file() {
        return file;
    }

    public void set(String name, String value) {
        String record = record(name, value);
        try {
            Files.writeString(file, record, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to $" + kind.variable() + " (" + file + "): "
                    + e.getMessage(), e);
        }
    }

    String record(String name, String value) {
        Objects.requireNonNull(value, "value");
        if (name == null || name.isEmpty() || name.contains("\n") || name.contains("\r") || name.contains("<<")
                || name.contains("=")) {
            throw new IllegalArgumentException("'" + name + "' cannot be a " + kind.variable() + " name: names must "
                    + "be non-empty, on one line, and contain neither '=' nor '<<'");
        }
        if (kind == Kind.ENV && REFUSED_ENV_NAMES.contains(name)) {
            throw new IllegalArgumentException(name + " cannot be set through $GITHUB_ENV: the runner refuses it, "
                    + "because it would change how every later JavaScript action runs");
        }
        String delimiter = delimiters.get();
        if (name.contains(delimiter)) {
            throw new IllegalArgumentException("name '" + name + "' contains the delimiter " + delimiter
                    + "; refusing to write it to $" + kind.variable());
        }
        if (value.contains(delimiter)) {
            // The value may be a secret: never quote it.
            throw new IllegalArgumentException("the value of " + name + " contains the delimiter " + delimiter
                    + "; refusing to write it to $" + kind.variable());
        }
        return name + "<<" + delimiter + "\n" + value + "\n" + delimiter + "\n";
    }
}
