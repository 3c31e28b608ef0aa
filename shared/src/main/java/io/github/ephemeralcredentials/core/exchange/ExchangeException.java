package io.github.ephemeralcredentials.core.exchange;

/** A request the exchange cannot carry out as asked, with a stable reason and a message that says what to do. */
public final class ExchangeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The request contradicts itself or the profile (a provider other than the profile's, a bad lifetime). */
        INVALID_REQUEST,
        /** The policy defines no such profile. */
        UNKNOWN_PROFILE,
        /** This installation has no such provider. */
        UNKNOWN_PROVIDER,
        /** The provider would issue on claims nobody verified. */
        UNVERIFIED_CLAIMS,
        /** A cleanup record cannot be read. */
        UNREADABLE_CLEANUP_RECORD
    }

    private final Reason reason;

    public ExchangeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
