package io.github.ephemeralcredentials.core.provider;

import java.util.Objects;
import java.util.Optional;

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
    private final String parameter;
    private final String problem;

    public ProviderException(String provider, Reason reason, String providerCode, String message) {
        this(provider, reason, providerCode, message, (Throwable) null);
    }

    public ProviderException(String provider, Reason reason, String providerCode, String message, Throwable cause) {
        super(message, cause);
        this.provider = provider;
        this.reason = reason;
        this.providerCode = providerCode;
        this.parameter = null;
        this.problem = null;
    }

    private ProviderException(Reason reason, String provider, String message, String parameter, String problem) {
        super(message);
        this.provider = provider;
        this.reason = reason;
        this.providerCode = null;
        this.parameter = parameter;
        this.problem = problem;
    }

    /**
     * A profile parameter (or scope entry) at fault, as data: the message is {@code provider: <subject> <problem>},
     * and {@link #messageNaming} lets a host put the parameter in its own terms (the GitHub Action's input name)
     * without matching the text.
     *
     * @param subject how the message names the parameter, e.g. {@code parameter 'role-arn'}
     * @param problem the rest of the sentence, e.g. {@code is required (e.g. arn:aws:iam::123456789012:role/x)}
     */
    public static ProviderException invalidParameter(String provider, Reason reason, String parameter, String subject,
                                                     String problem) {
        Objects.requireNonNull(parameter, "parameter");
        return new ProviderException(reason, provider, provider + ": " + subject + " " + problem, parameter, problem);
    }

    /**
     * A profile parameter at fault whose message does not read as {@code <subject> <problem>}: {@link #parameter()}
     * names it, {@link #messageNaming} leaves the message as it is.
     */
    public static ProviderException invalidParameter(String provider, Reason reason, String parameter, String message) {
        Objects.requireNonNull(parameter, "parameter");
        return new ProviderException(reason, provider, message, parameter, null);
    }

    /** The profile parameter (or scope entry) at fault, when one is: what a host maps to its own input names. */
    public Optional<String> parameter() {
        return Optional.ofNullable(parameter);
    }

    /**
     * The message with the parameter at fault called {@code subject} (e.g. {@code input `role-to-assume`}); the
     * message unchanged when no single parameter is at fault.
     */
    public String messageNaming(String subject) {
        return parameter == null || problem == null ? getMessage() : provider + ": " + subject + " " + problem;
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
