package io.github.ephemeralcredentials.core.provider.oauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields of an {@code application/x-www-form-urlencoded} request in order. A list rather than a map because
 * RFC 8693 §2.1 repeats {@code audience} and {@code resource} for several targets.
 */
public final class Form {

    private final List<Map.Entry<String, String>> fields = new ArrayList<>();

    public Form add(String name, String value) {
        fields.add(Map.entry(name, value));
        return this;
    }

    public Form addAll(String name, List<String> values) {
        values.forEach(v -> add(name, v));
        return this;
    }

    public Form copy() {
        Form copy = new Form();
        copy.fields.addAll(fields);
        return copy;
    }

    public List<Map.Entry<String, String>> fields() {
        return List.copyOf(fields);
    }

    /** The values of fields that carry secrets, to remove from any server text we repeat. */
    List<String> secretValues() {
        return fields.stream().filter(f -> TokenEndpoint.SECRET_FIELDS.contains(f.getKey()))
                .map(Map.Entry::getValue).filter(v -> !v.isEmpty()).toList();
    }

    @Override
    public String toString() {
        return "Form" + fields.stream().map(f -> f.getKey() + "=" + (TokenEndpoint.SECRET_FIELDS.contains(f.getKey())
                ? "****" : f.getValue())).toList();
    }
}
