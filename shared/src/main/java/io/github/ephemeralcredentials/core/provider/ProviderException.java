package io.github.ephemeralcredentials.core.provider;

/** An exchange or revocation that failed, with a stable reason and a message that says what to do. */
public final class ProviderException extends RuntimeException {

    public enum Reason {
        /** A profile parameter is missing or malformed (bad ARN, duration out of range, ...). */
        INVALID_PARAMETERS,
        /** The provider refused the identity (trust policy mismatch, unknown subject, wrong audience). */
        ACCESS_DENIED,
        /** The provider says the CI token is invalid or expired. */
        INVALID_TOKEN,
        /** The requested scope is invalid or too large. */
        INVALID_SCOPE,
        /** The provider could not be reached or failed, after retries. */
        UNAVAILABLE,
        /** The provider answered something we cannot understand. */
        UNEXPECTED_RESPONSE
    }

    private final Reason reason;
    private final String provider;
    private final String providerCode;

    public ProviderException(String provider, Reason reason, String providerCode, String message) {
        super(message);
        this.provider = provider;
        this.reason = reason;
        this.providerCode = providerCode;
    }

    public ProviderException(String provider, Reason reason, String providerCode, String message, Throwable cause) {
        super(message, cause);
        this.provider = provider;
        this.reason = reason;
        this.providerCode = providerCode;
    }

    public Reason reason() {
        return reason;
    }

    public String provider() {
        return provider;
    }

    /** The provider's own error code (e.g. {@code AccessDenied}, {@code invalid_grant}), or {@code null}. */
    public String providerCode() {
        return providerCode;
    }
}
