package io.github.ephemeralcredentials.core.provider;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong with a profile's parameters, scope or lifetime against its provider's descriptor, as data: the
 * policy loader turns it into a {@code file:line:column} problem, a host into its own terms.
 *
 * @param parameter  the parameter or scope entry at fault, or {@code null} when the problem is the lifetime
 * @param code       what kind of problem, stable for callers that branch on it
 * @param message    says what is wrong and what to do, naming the parameter as a profile does; never a secret value
 * @param suggestion the known name closest to a misspelt one, or {@code null}
 */
public record ParameterProblem(String parameter, Code code, String message, String suggestion) {

    /** Stable kinds of problems. */
    public enum Code {
        /** A name the provider does not read: a typo would otherwise be a silently missing setting. */
        UNKNOWN,
        /** A required parameter is absent. */
        MISSING,
        /** A value of the wrong shape: a list where text belongs, a map where a list belongs, ... */
        WRONG_TYPE,
        /** A lifetime outside what the provider issues. */
        OUT_OF_RANGE
    }

    public ParameterProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    /** The known name a misspelt one is closest to. */
    public Optional<String> didYouMean() {
        return Optional.ofNullable(suggestion);
    }
}
