package io.github.ephemeralcredentials.core.audit;

/** An audit file could not be read at all; the message names the file and what to do. */
public final class AuditReadException extends RuntimeException {

    public AuditReadException(String message) {
        super(message);
    }

    public AuditReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
