package io.github.ephemeralcredentials.jenkins.apicheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * {@code RestrictedUseCheck CLASSES_DIR USE_BETA}: fails (throws, which fails the Maven build that runs it through
 * exec:java) when the classes under CLASSES_DIR use a restricted or deprecated member of the API on this class path,
 * listing every use with its file, line and what to do.
 */
public final class RestrictedUseCheck {

    private RestrictedUseCheck() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !("true".equals(args[1]) || "false".equals(args[1]))) {
            throw new IllegalArgumentException("usage: RestrictedUseCheck CLASSES_DIR true|false (useBeta)");
        }
        Path classes = Path.of(args[0]);
        if (!Files.isDirectory(classes)) {
            throw new IllegalArgumentException("no compiled classes at " + classes + "; run it after the compile phase");
        }
        ClassLoader dependencies = Thread.currentThread().getContextClassLoader();
        check(new RestrictedUseScan(dependencies, Boolean.parseBoolean(args[1])).scan(classes), classes);
    }

    /** @throws IllegalStateException listing the findings, if there are any */
    static void check(List<Finding> findings, Path classes) {
        if (!findings.isEmpty()) {
            throw new IllegalStateException(findings.size() + " use(s) of restricted or deprecated Jenkins API in "
                    + classes + ":\n" + findings.stream().map(f -> "  " + f).collect(Collectors.joining("\n")));
        }
    }
}
