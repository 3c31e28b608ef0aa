package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.audit.AuditFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the step appends its audit record: input {@code audit-log} (relative to the workspace), by default
 * {@code $RUNNER_TEMP/ephemeral-credentials-audit.jsonl}, which a later step can upload as an artifact or ship to a
 * log pipeline; {@code audit-log: none} writes nothing.
 */
final class AuditLog {

    static final String INPUT = "audit-log";
    static final String DEFAULT_NAME = "ephemeral-credentials-audit.jsonl";

    private AuditLog() {
    }

    static AuditFile from(ActionInputs inputs, Map<String, String> env, Path workspace, WorkflowCommands commands) {
        Optional<String> asked = inputs.get(INPUT);
        if (asked.isPresent()) {
            if (asked.get().equals("none")) {
                return AuditFile.at(null, commands::warning);
            }
            Path root = workspace.toAbsolutePath().normalize();
            Path file;
            try {
                file = root.resolve(asked.get().strip()).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                file = null;
            }
            // The step runs as root: a path that leaves the workspace could append to any file of the runner's.
            if (file == null || !file.startsWith(root) || file.equals(root)) {
                throw new ActionException(ActionException.Reason.INVALID_INPUT, "input `" + INPUT + "` must name a "
                        + "file inside the workspace (relative to it, no `..` out of it), or be `none`");
            }
            return AuditFile.at(file, commands::warning);
        }
        String temp = env.get("RUNNER_TEMP");
        return AuditFile.at(temp == null || temp.isBlank() ? null : Path.of(temp).resolve(DEFAULT_NAME),
                commands::warning);
    }
}
