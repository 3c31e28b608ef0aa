package io.github.ephemeralcredentials.core.provider.oauth;

import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a profile's provider parameters (as written in the policy file) with errors that name the parameter and
 * the provider, so an administrator can fix the policy without reading our code.
 */
public final class ProfileParameters {

    private final String provider;
    private final Map<String, Object> values;

    public ProfileParameters(String provider, Map<String, Object> values) {
        this.provider = provider;
        this.values = values;
    }

    /** Refuses parameters this provider does not know, so a typo is an error rather than a silent default. */
    public ProfileParameters onlyKnown(Set<String> known) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw invalid("unknown parameter(s) " + unknown + "; the " + provider + " provider accepts "
                    + new TreeSet<>(known));
        }
        return this;
    }

    public Optional<String> optional(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw invalid("parameter '" + name + "' must be a single value, not " + describe(value));
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            throw invalid("parameter '" + name + "' is empty; remove it or give it a value");
        }
        return Optional.of(text);
    }

    public String required(String name, String example) {
        return optional(name).orElseThrow(() -> invalid("parameter '" + name + "' is required (e.g. " + example + ")"));
    }

    public boolean flag(String name) {
        return optional(name).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("parameter '" + name + "' must be true or false, not '" + v + "'");
        }).orElse(false);
    }

    /** A list given as a YAML/JSON list or as one space-separated string (the OAuth {@code scope} form). */
    public List<String> list(String name) {
        return list(values.get(name), name, provider);
    }

    static List<String> list(Object value, String name, String provider) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return Arrays.stream(s.trim().split("\\s+")).filter(p -> !p.isEmpty()).toList();
        }
        if (value instanceof List<?> l) {
            for (Object item : l) {
                if (!(item instanceof String s) || s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
                    throw new ProviderException(provider, Reason.INVALID_PARAMETERS, null, provider + ": every entry "
                            + "of '" + name + "' must be a non-empty string without spaces");
                }
            }
            return l.stream().map(String.class::cast).toList();
        }
        throw new ProviderException(provider, Reason.INVALID_PARAMETERS, null,
                provider + ": '" + name + "' must be a list of strings or one space-separated string, not " + describe(value));
    }

    public ProviderException invalid(String message) {
        return new ProviderException(provider, Reason.INVALID_PARAMETERS, null, provider + ": " + message);
    }

    private static String describe(Object value) {
        return value instanceof Map ? "a map" : value instanceof List ? "a list" : value.getClass().getSimpleName();
    }
}
