package io.github.ephemeralcredentials.core.policy;

/**
 * Something that makes a trust policy dangerous: which rule, what risk, how to fix it. Warnings by default;
 * {@code policy lint --strict} treats them as errors.
 */
public record LintFinding(Code code, String rule, SourcePosition position, String risk, String fix) {

    /** Stable codes of lint findings. */
    public enum Code {
        /** A {@code sub}/{@code repository} condition that accepts every repository of an owner. */
        OWNER_WIDE_SUBJECT,
        /** A {@code sub}/{@code repository} condition (or its absence) that accepts repositories of every owner. */
        ANY_OWNER_SUBJECT,
        /** A sensitive profile reachable from pull-request builds. */
        SENSITIVE_FROM_PULL_REQUEST,
        /** A sensitive profile reachable from self-hosted runners. */
        SENSITIVE_FROM_SELF_HOSTED,
        /** A sensitive profile reachable from refs that are not protected. */
        SENSITIVE_FROM_UNPROTECTED_REF,
        /** An allow rule that binds no audience: tokens minted for any other service are accepted. */
        NO_AUDIENCE,
        /** An issuer URL that is not https. */
        INSECURE_ISSUER
    }

    @Override
    public String toString() {
        return DisplayText.escape(position + ": warning " + code + " in rule '" + rule + "': " + risk + ". Fix: " + fix);
    }
}
