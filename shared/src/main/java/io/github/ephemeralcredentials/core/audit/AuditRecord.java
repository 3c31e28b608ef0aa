package io.github.ephemeralcredentials.core.audit;

import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.oidc.Claims;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One exchange as the audit trail keeps it: who asked (issuer, subject, the claims that identify the job), for
 * what (profile, provider, scope), what came of it, and the CI token's {@code jti} to correlate with the CI
 * system's own logs. Never a secret and never a token: values are passed through a {@link Redactor} when written.
 *
 * @param timestamp when the exchange ended
 * @param issuer    the CI token's {@code iss}
 * @param subject   the CI token's {@code sub}
 * @param claims    selected identifying claims (repository, workflow, run, ...), as matched by policies
 * @param profile   the policy profile that was asked for
 * @param owner     the profile's owner (team or person responsible), or {@code null}
 * @param tags      the profile's tags
 * @param provider  the provider id ({@code aws}, {@code gcp}, ...)
 * @param scope     a one-line summary of the scope granted (never a full policy document with secrets)
 * @param expiresAt when the issued credential expires, or {@code null} if none was issued
 * @param outcome   what came of it
 * @param reason    the stable reason code of a denial or failure ({@code ACCESS_DENIED}, ...), or {@code null}
 * @param detail    the human message of a denial or failure, or {@code null}
 * @param tokenId   the CI token's {@code jti}, or {@code null} when it had none
 * @param anomalies the anomaly signals the host's detector raised for this exchange (stable codes such as
 *                  {@code NEW_PROFILE_FOR_SUBJECT}, see {@code core.audit.anomaly.Signal}); empty when none
 */
public record AuditRecord(Instant timestamp, String issuer, String subject, Map<String, String> claims,
                          String profile, String owner, List<String> tags, String provider, String scope,
                          Instant expiresAt, Outcome outcome, String reason, String detail, String tokenId,
                          List<String> anomalies) {

    /** Claims worth recording when present: GitHub Actions' and our Jenkins issuer's job identity. */
    public static final List<String> DEFAULT_CLAIMS = List.of(
            "repository", "repository_owner", "workflow", "job_workflow_ref", "ref", "environment", "event_name",
            "run_id", "run_number", "run_attempt", "actor", "runner_environment",
            "job", "build_number", "build_url", "jenkins_url");

    public enum Outcome {
        /** A credential was issued. */
        ISSUED,
        /** The policy or the provider refused. */
        DENIED,
        /** Something failed before a decision (provider down, bad response, bad configuration). */
        FAILED,
        /** A credential was taken back at cleanup. */
        REVOKED
    }

    public AuditRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(outcome, "outcome");
        // Absent values are omitted, as for every other field (a null here made the writer throw: AuditLineFuzzTest).
        Map<String, String> present = new LinkedHashMap<>();
        if (claims != null) {
            claims.forEach((name, value) -> {
                if (name != null && value != null) {
                    present.put(name, value);
                }
            });
        }
        claims = Collections.unmodifiableMap(present);
        tags = tags == null ? List.of() : tags.stream().filter(Objects::nonNull).toList();
        anomalies = anomalies == null ? List.of() : anomalies.stream().filter(Objects::nonNull).toList();
    }

    /** The claims of {@code names} present in {@code claims}, in the order of {@code names}, as policies see them. */
    public static Map<String, String> select(Claims claims, Collection<String> names) {
        Map<String, String> selected = new LinkedHashMap<>();
        for (String name : names) {
            claims.string(name).ifPresent(v -> selected.put(name, v));
        }
        return selected;
    }

    /** A record of this token's identity (issuer, subject, the {@code claimNames} present, jti); fill in the rest. */
    public static Builder of(Instant timestamp, Claims claims, Outcome outcome, Collection<String> claimNames) {
        return new Builder().timestamp(timestamp).issuer(claims.issuer()).subject(claims.subject())
                .claims(select(claims, claimNames)).outcome(outcome).tokenId(claims.jwtId().orElse(null));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this record's values, to change some by name. */
    public Builder toBuilder() {
        return new Builder().timestamp(timestamp).issuer(issuer).subject(subject).claims(claims).profile(profile)
                .owner(owner).tags(tags).provider(provider).scope(scope).expiresAt(expiresAt).outcome(outcome)
                .reason(reason, detail).tokenId(tokenId).anomalies(anomalies);
    }

    /** Builds a record by name: fourteen positional components invite swapped arguments. */
    public static final class Builder {
        private Instant timestamp;
        private String issuer;
        private String subject;
        private Map<String, String> claims = Map.of();
        private String profile;
        private String owner;
        private List<String> tags = List.of();
        private String provider;
        private String scope;
        private Instant expiresAt;
        private Outcome outcome;
        private String reason;
        private String detail;
        private String tokenId;
        private List<String> anomalies = List.of();

        private Builder() {
        }

        public Builder timestamp(Instant value) {
            timestamp = value;
            return this;
        }

        public Builder issuer(String value) {
            issuer = value;
            return this;
        }

        public Builder subject(String value) {
            subject = value;
            return this;
        }

        public Builder claims(Map<String, String> value) {
            claims = value;
            return this;
        }

        public Builder profile(String value) {
            profile = value;
            return this;
        }

        public Builder owner(String value) {
            owner = value;
            return this;
        }

        public Builder tags(List<String> value) {
            tags = value;
            return this;
        }

        public Builder provider(String value) {
            provider = value;
            return this;
        }

        public Builder scope(String value) {
            scope = value;
            return this;
        }

        public Builder expiresAt(Instant value) {
            expiresAt = value;
            return this;
        }

        public Builder outcome(Outcome value) {
            outcome = value;
            return this;
        }

        /** The stable reason code and the human message of a denial or failure. */
        public Builder reason(String code, String message) {
            reason = code;
            detail = message;
            return this;
        }

        public Builder tokenId(String value) {
            tokenId = value;
            return this;
        }

        /** The anomaly signals raised for this exchange (codes only: never a claim value or a secret). */
        public Builder anomalies(List<String> value) {
            anomalies = value;
            return this;
        }

        public AuditRecord build() {
            return new AuditRecord(timestamp, issuer, subject, claims, profile, owner, tags, provider, scope, expiresAt,
                    outcome, reason, detail, tokenId, anomalies);
        }
    }

    /** This record with every text field passed through {@code redactor}. */
    public AuditRecord redacted(Redactor redactor) {
        Map<String, String> cleanClaims = new LinkedHashMap<>();
        claims.forEach((k, v) -> cleanClaims.put(redactor.redact(k), redactor.redact(v)));
        return new AuditRecord(timestamp, redactor.redact(issuer), redactor.redact(subject), cleanClaims,
                redactor.redact(profile), redactor.redact(owner), tags.stream().map(redactor::redact).toList(),
                redactor.redact(provider), redactor.redact(scope), expiresAt, outcome, redactor.redact(reason),
                redactor.redact(detail), redactor.redact(tokenId), anomalies);
    }
}
