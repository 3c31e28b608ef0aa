package io.jenkins.plugins.ephemeral_credentials.step;

import hudson.model.TaskListener;
import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.JsonLinesAuditWriter;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Where exchanges are recorded: one line in the build's console, and one JSON line in
 * {@code $JENKINS_HOME/logs/ephemeral-credentials/audit.jsonl} for the security team's log shipper. Neither ever
 * holds a secret: both go through the exchange's {@link Redactor}.
 */
final class AuditTrail {

    /** The claims kept in audit records: the shared defaults plus our issuer's job identity. */
    static final List<String> CLAIMS;

    static {
        List<String> claims = new ArrayList<>(AuditRecord.DEFAULT_CLAIMS);
        for (String jenkins : List.of("job_full_name", "branch", "change_id", "change_target", "trigger")) {
            if (!claims.contains(jenkins)) {
                claims.add(jenkins);
            }
        }
        CLAIMS = List.copyOf(claims);
    }

    private AuditTrail() {
    }

    static synchronized void write(AuditRecord record, Redactor redactor, TaskListener listener) {
        AuditRecord clean = record.redacted(redactor);
        listener.getLogger().println("[Ephemeral Credentials] " + line(clean));
        Path file = new File(Jenkins.get().getRootDir(), "logs/ephemeral-credentials/audit.jsonl").toPath();
        try {
            Files.createDirectories(file.getParent());
            try (JsonLinesAuditWriter writer = JsonLinesAuditWriter.append(file)) {
                writer.write(clean, redactor);
            }
        } catch (IOException | UncheckedIOException e) {
            listener.getLogger().println("[Ephemeral Credentials] WARNING: could not write the audit record to "
                    + file + ": " + redactor.redact(e.getMessage()));
        }
    }

    /** {@code ISSUED profile 'deploy' (aws) to job:team/app:branch:main, expires ..., token id ...}. */
    static String line(AuditRecord r) {
        StringBuilder out = new StringBuilder(r.outcome().name()).append(" profile '").append(r.profile()).append('\'');
        if (r.provider() != null) {
            out.append(" (").append(r.provider()).append(')');
        }
        out.append(r.outcome() == AuditRecord.Outcome.REVOKED ? " of " : " to ").append(r.subject());
        if (r.expiresAt() != null) {
            out.append(", expires ").append(r.expiresAt());
        }
        if (r.reason() != null) {
            out.append(", reason ").append(r.reason());
        }
        if (r.tokenId() != null) {
            out.append(", token id ").append(r.tokenId());
        }
        return out.toString();
    }
}
