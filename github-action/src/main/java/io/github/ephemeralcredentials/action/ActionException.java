package io.github.ephemeralcredentials.action;

/** A failure of the action itself (not of a provider), with a stable reason and a message that says what to do. */
public final class ActionException extends RuntimeException {

    public enum Reason {
        /** The job lacks {@code permissions: id-token: write}, so the runner gave the step no token. */
        MISSING_ID_TOKEN_PERMISSION,
        /** An input is missing, malformed or contradicts another. */
        INVALID_INPUT,
        /** The runner's token endpoint failed or answered something unusable. */
        ID_TOKEN_UNAVAILABLE,
        /** The trust policy denied the exchange in the pre-flight. */
        POLICY_DENIED,
        /** The step is not running where it expects (no {@code $GITHUB_ENV}, no saved state). */
        NOT_IN_RUNNER,
        /** The step's overall deadline ran out while it waited for an endpoint. */
        DEADLINE
    }

    private final Reason reason;
    private final String detail;

    public ActionException(Reason reason, String message) {
        this(reason, message, (String) null);
    }

    /** @param detail a multi-line explanation (a policy decision) shown beside the one-line message, or null */
    public ActionException(Reason reason, String message, String detail) {
        super(message);
        this.reason = reason;
        this.detail = detail;
    }

    public ActionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.detail = null;
    }

    public Reason reason() {
        return reason;
    }

    public java.util.Optional<String> detail() {
        return java.util.Optional.ofNullable(detail);
    }
}
