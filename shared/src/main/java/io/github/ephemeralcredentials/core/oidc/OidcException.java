package io.github.ephemeralcredentials.core.oidc;

/**
 * Why a token was refused or could not be checked. The reason is stable and machine-readable; the message names
 * the expected and the presented value and what to do, and never contains the token itself.
 */
public final class OidcException extends RuntimeException {

    public enum Reason {
        /** Not a compact JWS, bad base64, bad JSON, or duplicate JSON keys. */
        MALFORMED,
        /** Larger than the verifier accepts before parsing. */
        TOO_LARGE,
        /** {@code alg} is not in the allow-list (this includes {@code none} and every HMAC). */
        UNSUPPORTED_ALGORITHM,
        /** A {@code crit} header names an extension this verifier does not implement. */
        UNSUPPORTED_CRITICAL_HEADER,
        /** No key with the token's {@code kid} in the issuer's JWKS, even after a refetch. */
        UNKNOWN_KEY,
        BAD_SIGNATURE,
        BAD_ISSUER,
        BAD_AUDIENCE,
        EXPIRED,
        NOT_YET_VALID,
        /** {@code iat} lies in the future beyond the allowed clock skew. */
        ISSUED_IN_FUTURE,
        /** Older than the configured maximum token age. */
        TOO_OLD,
        MISSING_CLAIM,
        /** The discovery document or JWKS could not be fetched (down, timed out, non-2xx) and no usable cache. */
        JWKS_UNAVAILABLE,
        /** The discovery document or JWKS was fetched but is not usable (not JSON, too large, wrong issuer). */
        JWKS_INVALID,
        /** A token could not be issued (bad request to the issuer). */
        ISSUE_REFUSED
    }

    private final Reason reason;

    public OidcException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public OidcException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "OidcException[" + reason + "]: " + getMessage();
    }
}
