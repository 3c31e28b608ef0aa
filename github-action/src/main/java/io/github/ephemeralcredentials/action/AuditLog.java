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
            return AuditFile.at(asked.get().equals("none") ? null : workspace.resolve(asked.get()), commands::warning);
        }
        String temp = env.get("RUNNER_TEMP");
        return AuditFile.at(temp == null || temp.isBlank() ? null : Path.of(temp).resolve(DEFAULT_NAME),
                commands::warning);
    }
}
