package io.github.ephemeralcredentials.service.state;

/** The shared store did not answer; the message names the store, never a key (keys derive from tokens). */
public final class StateUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
