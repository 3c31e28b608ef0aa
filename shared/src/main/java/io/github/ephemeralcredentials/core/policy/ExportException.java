package io.github.ephemeralcredentials.core.policy;

/** A profile's rules cannot be exported to the requested format. The message names the condition and what to do. */
public final class ExportException extends RuntimeException {

    /** Stable reasons. */
    public enum Reason {
        UNKNOWN_PROFILE,
        /** No allow rule names the profile: the export would trust nobody. */
        NO_RULES,
        /** A condition the target cannot express (use {@code --lossy} for the closest broader form). */
        NOT_EXPRESSIBLE
    }

    private final Reason reason;

    public ExportException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
