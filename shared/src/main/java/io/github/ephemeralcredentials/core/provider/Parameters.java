package io.github.ephemeralcredentials.core.provider;

import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * A profile's parameters (or scope) as written in the policy file, read with errors that name the provider and the
 * parameter, so an administrator can fix the file without reading our code.
 */
public final class Parameters {

    /** Compiled once: a service reads a profile's lists on every exchange. */
    private static final Pattern LIST_SEPARATOR = Pattern.compile("[,\\s]+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final String provider;
    private final String what;
    private final Map<String, Object> values;

    private Parameters(String provider, String what, Map<String, Object> values) {
        this.provider = provider;
        this.what = what;
        this.values = values;
    }

    public static Parameters of(String provider, Map<String, Object> parameters) {
        return new Parameters(provider, "parameter", parameters);
    }

    public static Parameters scope(String provider, Map<String, Object> scope) {
        return new Parameters(provider, "scope entry", scope);
    }

    /** Refuses names this provider does not know, so a typo is an error instead of a silent default. */
    public Parameters onlyKnown(Set<String> known) {
        if (known.containsAll(values.keySet())) {
            return this;
        }
        TreeSet<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (unknown.size() == 1) {
            String name = unknown.first();
            throw ProviderException.invalidParameter(provider, Reason.INVALID_PARAMETERS, name, provider + ": unknown "
                    + what + "(s) " + unknown + Suggestions.hint(name, known) + "; the " + provider + " provider accepts "
                    + new TreeSet<>(known));
        }
        if (!unknown.isEmpty()) {
            throw invalid("unknown " + what + "(s) " + unknown + "; the " + provider + " provider accepts "
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
            throw invalid(name, "must be a single value, not " + describe(value));
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            throw invalid(name, "is empty; remove it or give it a value");
        }
        return Optional.of(text);
    }

    public String required(String name, String example) {
        return optional(name).orElseThrow(() -> invalid(name, "is required (e.g. " + example + ")"));
    }

    public boolean flag(String name, boolean fallback) {
        return optional(name).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(name, "must be true or false, not '" + v + "'");
        }).orElse(fallback);
    }

    /** A list written as a YAML/JSON list of strings, or as one string split on commas and whitespace. */
    public List<String> list(String name) {
        Object value = values.get(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return Arrays.stream(LIST_SEPARATOR.split(s.trim())).filter(p -> !p.isEmpty()).toList();
        }
        if (value instanceof List<?> l) {
            for (Object item : l) {
                if (!(item instanceof String s) || s.isBlank()) {
                    throw invalidEntries(name, "every entry of " + what + " '" + name + "' must be a non-empty string");
                }
            }
            return l.stream().map(o -> ((String) o).trim()).toList();
        }
        throw invalid(name, "must be a list of strings, not " + describe(value));
    }

    /**
     * A list written as a YAML/JSON list or as one space-separated string: the OAuth form of {@code scope},
     * {@code audience} and {@code resource}, whose entries may contain commas but never spaces.
     */
    public List<String> spaceSeparated(String name) {
        Object value = values.get(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return Arrays.stream(WHITESPACE.split(s.trim())).filter(p -> !p.isEmpty()).toList();
        }
        if (value instanceof List<?> l) {
            for (Object item : l) {
                if (!(item instanceof String s) || s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
                    throw invalidEntries(name, "every entry of '" + name + "' must be a non-empty string without spaces");
                }
            }
            return l.stream().map(String.class::cast).toList();
        }
        throw invalidEntries(name, "'" + name + "' must be a list of strings or one space-separated string, not "
                + describe(value));
    }

    /** Free text written as one (multi-line) string or as a list of strings, which are joined by new lines. */
    public String text(String name) {
        Object value = values.get(name);
        if (value == null) {
            return "";
        }
        if (value instanceof List<?> l) {
            for (Object item : l) {
                if (!(item instanceof String)) {
                    throw invalidEntries(name, "every entry of " + what + " '" + name + "' must be a string");
                }
            }
            return String.join("\n", l.stream().map(String.class::cast).toList());
        }
        if (value instanceof String s) {
            return s;
        }
        throw invalid(name, "must be a string or a list of strings, not " + describe(value));
    }

    /** A map of strings to single values (e.g. GitHub permissions {@code {contents: read}}). */
    public Map<String, String> map(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw invalid(name, "must be a map, not " + describe(value));
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof String || e.getValue() instanceof Number
                    || e.getValue() instanceof Boolean)) {
                throw invalidEntries(name, "every entry of " + what + " '" + name + "' must map a name to a single value");
            }
            out.put(key, e.getValue().toString().trim());
        }
        return out;
    }

    /**
     * An endpoint URL: absolute, without user info, query or fragment, and https, because tokens travel in the
     * requests; plain http only for a loopback address (a local test server or a sidecar).
     *
     * @param example a correct value for the messages
     */
    public Optional<HttpUrl> url(String name, String example) {
        return optional(name).map(text -> {
            HttpUrl url = HttpUrl.parse(text);
            if (url == null) {
                throw invalidEntries(name, "'" + name + "' '" + text + "' is not a URL; write it with its scheme, like " + example);
            }
            if (!url.username().isEmpty() || !url.password().isEmpty() || url.query() != null || url.fragment() != null) {
                throw invalidEntries(name, "'" + name + "' must be a plain URL without user info, query or fragment, like " + example);
            }
            if (!url.isHttps() && !loopback(url.host())) {
                throw invalidEntries(name, "'" + name + "' '" + text + "' uses http: tokens would cross the network in clear; use "
                        + "https (plain http is accepted only for 127.0.0.1/localhost)");
            }
            return url;
        });
    }

    private static boolean loopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // Literal addresses only: a name is never resolved here (it could resolve differently later).
            return (host.matches("[0-9.]+") || host.contains(":")) && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public ProviderException invalid(String message) {
        return new ProviderException(provider, Reason.INVALID_PARAMETERS, null, provider + ": " + message);
    }

    /**
     * {@code provider: parameter 'name' problem}, with the parameter as data so a host can name it its own way.
     *
     * @param problem the rest of the sentence after the parameter's name: {@code is required (e.g. ...)}
     */
    public ProviderException invalid(String name, String problem) {
        return ProviderException.invalidParameter(provider, Reason.INVALID_PARAMETERS, name, what + " '" + name + "'",
                problem);
    }

    /** A message that names {@code name} in its own words; the parameter is still data. */
    public ProviderException invalidEntries(String name, String message) {
        return ProviderException.invalidParameter(provider, Reason.INVALID_PARAMETERS, name, provider + ": " + message);
    }

    private static String describe(Object value) {
        return value instanceof Map ? "a map" : value instanceof List ? "a list" : value.getClass().getSimpleName();
    }
}
