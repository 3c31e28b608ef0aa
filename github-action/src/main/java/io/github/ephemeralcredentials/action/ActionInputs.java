package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.action.ActionException.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The step's inputs as the runner passes them to a container: {@code INPUT_<NAME>} with the name upper-cased and
 * spaces turned into underscores (hyphens kept), values trimmed, an empty value the same as an absent one — the
 * rules of {@code @actions/core}'s {@code getInput}, so a workflow behaves as it would with any other action.
 */
public final class ActionInputs {

    private static final Set<String> TRUE = Set.of("true", "True", "TRUE");
    private static final Set<String> FALSE = Set.of("false", "False", "FALSE");

    private final Map<String, String> env;

    public ActionInputs(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** The variable an input arrives in: {@code role-to-assume} → {@code INPUT_ROLE-TO-ASSUME}. */
    public static String variable(String input) {
        return "INPUT_" + input.replace(' ', '_').toUpperCase(Locale.ROOT);
    }

    public Optional<String> get(String input) {
        String value = env.get(variable(input));
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.strip());
    }

    public String required(String input, String why) {
        return get(input).orElseThrow(() -> new ActionException(Reason.INVALID_INPUT,
                "input `" + input + "` is required " + why + "; add `" + input + ": ...` under `with:` in the step"));
    }

    /** YAML 1.2 core-schema booleans only, as {@code getBooleanInput}: a typo is an error, never silently false. */
    public boolean bool(String input, boolean defaultValue) {
        Optional<String> value = get(input);
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (TRUE.contains(value.get())) {
            return true;
        }
        if (FALSE.contains(value.get())) {
            return false;
        }
        throw new ActionException(Reason.INVALID_INPUT, "input `" + input + "` is '" + value.get()
                + "'; write true or false (YAML 1.2: true | True | TRUE | false | False | FALSE)");
    }

    /** A whole number, or empty when the input is not set. */
    public Optional<Long> number(String input) {
        return get(input).map(value -> {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new ActionException(Reason.INVALID_INPUT, "input `" + input + "` is '" + value
                        + "'; write a whole number (e.g. 3600)");
            }
        });
    }

    /** Items separated by commas, spaces or newlines, blank ones dropped (scopes, audiences: never contain spaces). */
    public List<String> list(String input) {
        return get(input).map(value -> Arrays.stream(value.split("[\\s,]+"))
                .map(String::strip).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }

    /** Items one per line (for values that may themselves contain commas, such as policy ARNs or JSON). */
    public List<String> lines(String input) {
        return get(input).map(value -> Arrays.stream(value.split("\\R"))
                .map(String::strip).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
    }
}
