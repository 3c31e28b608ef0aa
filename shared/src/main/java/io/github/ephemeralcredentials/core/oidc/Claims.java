package io.github.ephemeralcredentials.core.oidc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An immutable view of a token's claims. Values keep their JSON types (String, Number, Boolean, List, Map);
 * {@link #string(String)} gives the form policies match on, where numbers and booleans are their JSON text.
 */
public record Claims(Map<String, Object> values) {

    /**
     * Jackson, loaded the first time a claim is rendered or parsed as JSON: the GitHub Action's cold container reads
     * string claims only and would otherwise load Jackson's ~450 classes for nothing.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
        /** For claims typed by a person: a repeated key is refused, as the verifier refuses it in a token. */
        static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /** Objects and arrays inside each other in a claims file: real tokens nest two or three levels. */
    public static final int MAX_NESTING = 64;

    public Claims {
        values = Collections.unmodifiableMap(new TreeMap<>(deepCopy(values)));
    }

    public static Claims of(Map<String, ?> values) {
        return new Claims(new LinkedHashMap<>(values));
    }

    /**
     * Parses a JSON object of claims (for {@code policy explain --claims} and tests).
     *
     * @throws IllegalArgumentException when the text is not one JSON object, repeats a key or nests deeper than
     *                                  {@link #MAX_NESTING}, with the line and column
     */
    public static Claims fromJson(String json) {
        Object value;
        try {
            value = Json.STRICT.readValue(json, Object.class);
        } catch (StreamConstraintsException e) {
            throw new IllegalArgumentException("claims are nested deeper than " + MAX_NESTING + " levels"
                    + at(e.getLocation()) + "; a token's claims nest two or three", e);
        } catch (JsonProcessingException e) {
            String problem = e.getOriginalMessage();
            throw new IllegalArgumentException((problem.startsWith("Duplicate field")
                    ? "claims hold a duplicate key (" + problem + "), which the verifier refuses in a token"
                    : "claims are not a JSON object: " + problem) + at(e.getLocation()), e);
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("claims must be a JSON object such as {\"sub\": \"...\"}, not "
                    + (value == null ? "null or nothing" : value instanceof List ? "a list" : "a single value"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = (Map<String, Object>) map;
        return new Claims(claims);
    }

    private static String at(JsonLocation location) {
        return location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    public boolean has(String name) {
        return values.containsKey(name) && values.get(name) != null;
    }

    public Optional<Object> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /**
     * The claim as text for matching: strings as they are, numbers and booleans as their JSON text,
     * arrays and objects as compact JSON. Empty when the claim is absent or JSON {@code null}.
     */
    public Optional<String> string(String name) {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            return Optional.of(s);
        }
        try {
            return Optional.of(Json.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("claim '" + name + "' cannot be rendered as JSON", e);
        }
    }

    public String issuer() {
        return string("iss").orElse(null);
    }

    public String subject() {
        return string("sub").orElse(null);
    }

    public Optional<String> jwtId() {
        return string("jti");
    }

    /** {@code aud} as a list whether the token carried a single string or an array. */
    public List<String> audience() {
        Object aud = values.get("aud");
        if (aud instanceof String s) {
            return List.of(s);
        }
        if (aud instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    public Optional<Instant> expiresAt() {
        return instant("exp");
    }

    public Optional<Instant> notBefore() {
        return instant("nbf");
    }

    public Optional<Instant> issuedAt() {
        return instant("iat");
    }

    private Optional<Instant> instant(String name) {
        Object value = values.get(name);
        if (value instanceof Number n) {
            return Optional.of(Instant.ofEpochSecond(n.longValue()));
        }
        return Optional.empty();
    }

    /** Compact JSON of all claims (claims are not secrets; the token that carried them is). */
    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("claims cannot be rendered as JSON", e);
        }
    }

    private static Map<String, Object> deepCopy(Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(k, deepCopyValue(v)));
        return copy;
    }

    private static Object deepCopyValue(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), deepCopyValue(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> l) {
            return l.stream().map(Claims::deepCopyValue).toList();
        }
        return value;
    }
}
