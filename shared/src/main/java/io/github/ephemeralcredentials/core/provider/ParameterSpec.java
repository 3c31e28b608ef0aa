package io.github.ephemeralcredentials.core.provider;

import java.util.Objects;

/**
 * One parameter (or scope entry) a provider reads from a profile, as its descriptor declares it: what
 * {@code policy validate} checks at load time and what hosts derive their own inputs from.
 *
 * @param name         the name in a profile's {@code parameters:} (or {@code scope:}), e.g. {@code role-arn}
 * @param type         the shape of value it takes
 * @param required     whether a profile must give it
 * @param defaultValue what the provider uses when it is absent, as text for help and docs, or {@code null}
 * @param description  one line for help, docs and error messages
 * @param actionInput  the GitHub Action input that carries it, named as the provider's own official action names it
 *                     ({@code role-to-assume} for {@code role-arn}), or {@code null} when the action has none
 */
public record ParameterSpec(String name, Type type, boolean required, String defaultValue, String description,
                            String actionInput, java.util.regex.Pattern format, String formatHint) {

    public ParameterSpec(String name, Type type, boolean required, String defaultValue, String description,
                         String actionInput) {
        this(name, type, required, defaultValue, description, actionInput, null, null);
    }

    /** The shapes of value a parameter takes in a policy file. */
    public enum Type {
        /** A single string (numbers and booleans are accepted as their text). */
        STRING,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A whole number. */
        INTEGER,
        /** A list of strings, or one string of comma- or space-separated entries. */
        LIST,
        /** A list of strings, or one string; entries may contain commas (policy ARNs), so an input gives one a line. */
        LINES,
        /** Free text, or a list of lines. */
        TEXT,
        /** A map of names to single values. */
        MAP,
        /** A JSON document, as text or as a map. */
        DOCUMENT,
        /** {@code true}, or a path. */
        FLAG_OR_PATH
    }

    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (required && defaultValue != null) {
            throw new IllegalArgumentException("parameter '" + name + "' is required and has a default");
        }
    }

    public static ParameterSpec required(String name, Type type, String description) {
        return new ParameterSpec(name, type, true, null, description, null);
    }

    public static ParameterSpec optional(String name, Type type, String description) {
        return new ParameterSpec(name, type, false, null, description, null);
    }

    public ParameterSpec withDefault(String value) {
        return new ParameterSpec(name, type, required, value, description, actionInput, format, formatHint);
    }

    public ParameterSpec withActionInput(String input) {
        return new ParameterSpec(name, type, required, defaultValue, description, input, format, formatHint);
    }

    /**
     * A single value must match {@code pattern} whole, checked with the profile (before any token is asked for);
     * {@code hint} says what to write ("an AWS region such as us-east-1").
     */
    public ParameterSpec withFormat(java.util.regex.Pattern pattern, String hint) {
        return new ParameterSpec(name, type, required, defaultValue, description, actionInput, pattern, hint);
    }
}
