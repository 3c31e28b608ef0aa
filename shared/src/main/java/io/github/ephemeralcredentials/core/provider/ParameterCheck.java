package io.github.ephemeralcredentials.core.provider;

import io.github.ephemeralcredentials.core.provider.ParameterProblem.Code;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a profile's parameters, scope and lifetime against a descriptor: names, presence and shape only. Values
 * (an ARN's syntax, a URL's scheme) stay the provider's to check, where the rules live beside the code that relies
 * on them; this is what can be said of every profile at load time without running the provider.
 */
final class ParameterCheck {

    private ParameterCheck() {
    }

    static List<ParameterProblem> check(ProviderDescriptor descriptor, String what, List<ParameterSpec> specs,
                                        Map<String, Object> values) {
        List<ParameterProblem> problems = new ArrayList<>();
        Set<String> known = new TreeSet<>();
        specs.forEach(s -> known.add(s.name()));
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String name = entry.getKey();
            Optional<ParameterSpec> spec = specs.stream().filter(s -> s.name().equals(name)).findFirst();
            if (spec.isEmpty()) {
                Optional<String> closest = Suggestions.closest(name, known);
                problems.add(new ParameterProblem(name, Code.UNKNOWN, "unknown " + what + " '" + name + "'"
                        + closest.map(c -> " (did you mean '" + c + "'?)").orElse("") + "; the " + descriptor.id()
                        + " provider takes " + (known.isEmpty() ? "none" : String.join(", ", known)),
                        closest.orElse(null)));
            } else {
                Optional<String> wrong = wrongType(spec.get(), entry.getValue());
                wrong.ifPresent(shape -> problems.add(new ParameterProblem(name,
                        Code.WRONG_TYPE, what + " '" + name + "' is " + shape + "; write " + expected(spec.get().type())
                        + " (" + spec.get().description() + ")", null)));
                ParameterSpec s = spec.get();
                if (wrong.isEmpty() && s.format() != null && scalar(entry.getValue())
                        && !s.format().matcher(String.valueOf(entry.getValue())).matches()) {
                    problems.add(new ParameterProblem(name, Code.WRONG_TYPE, what + " '" + name + "' is '"
                            + String.valueOf(entry.getValue()).replaceAll("\\p{Cntrl}", "?") + "'; write "
                            + s.formatHint(), null));
                }
            }
        }
        for (ParameterSpec spec : specs) {
            if (spec.required() && !values.containsKey(spec.name())) {
                problems.add(new ParameterProblem(spec.name(), Code.MISSING, "missing " + what + " '" + spec.name()
                        + "', which the " + descriptor.id() + " provider requires: " + spec.description(), null));
            }
        }
        return List.copyOf(problems);
    }

    static Optional<ParameterProblem> lifetime(ProviderDescriptor descriptor, Duration lifetime,
                                               Map<String, Object> parameters) {
        Duration max = descriptor.maxLifetime(parameters);
        if (lifetime.compareTo(max) > 0) {
            return Optional.of(new ParameterProblem(null, Code.OUT_OF_RANGE, "the lifetime " + text(lifetime)
                    + " is over the " + text(max) + " the " + descriptor.id() + " provider issues"
                    + (max.equals(descriptor.maxLifetime(Map.of())) ? "" : " with these parameters")
                    + "; lower it to " + text(max) + " or less", null));
        }
        if (lifetime.compareTo(descriptor.minLifetime()) < 0) {
            return Optional.of(new ParameterProblem(null, Code.OUT_OF_RANGE, "the lifetime " + text(lifetime)
                    + " is under the " + text(descriptor.minLifetime()) + " the " + descriptor.id()
                    + " provider issues at least; raise it to " + text(descriptor.minLifetime()) + " or more", null));
        }
        return Optional.empty();
    }

    /** The shape the value has when it is not one the type takes, else empty. */
    private static Optional<String> wrongType(ParameterSpec spec, Object value) {
        boolean fits = switch (spec.type()) {
            case STRING -> scalar(value);
            case BOOLEAN -> value instanceof Boolean || "true".equals(value) || "false".equals(value);
            case INTEGER -> value instanceof Long || value instanceof Integer || value instanceof BigInteger
                    || value instanceof String s && s.matches("-?[0-9]+");
            case LIST, LINES, TEXT -> value instanceof String || value instanceof List<?> l
                    && l.stream().allMatch(i -> i instanceof String);
            case MAP -> value instanceof Map<?, ?> m && m.values().stream().allMatch(ParameterCheck::scalar);
            case DOCUMENT -> value instanceof String || value instanceof Map;
            case FLAG_OR_PATH -> value instanceof Boolean || value instanceof String;
        };
        return fits ? Optional.empty() : Optional.of(shape(value));
    }

    private static boolean scalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }

    private static String shape(Object value) {
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List<?> l) {
            return l.stream().allMatch(ParameterCheck::scalar) ? "a list" : "a list holding lists or maps";
        }
        if (value instanceof Boolean) {
            return "a boolean (" + value + ")";
        }
        return value instanceof Number ? "a number (" + value + ")" : "the text '" + value + "'";
    }

    private static String expected(ParameterSpec.Type type) {
        return switch (type) {
            case STRING -> "a single value";
            case BOOLEAN -> "true or false";
            case INTEGER -> "a whole number";
            case LIST, LINES -> "a list of strings (or one string)";
            case TEXT -> "text, or a list of lines";
            case MAP -> "a map of names to single values";
            case DOCUMENT -> "a map, or JSON text";
            case FLAG_OR_PATH -> "true, or a path";
        };
    }

    /** 43200 s → "12h", 900 s → "15m", 90 s → "90s": the units profiles are written in. */
    static String text(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }
}
