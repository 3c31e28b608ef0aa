package io.github.ephemeralcredentials.core.oidc;

import com.fasterxml.jackson.core.JsonProcessingException;
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
    }

    public Claims {
        values = Collections.unmodifiableMap(new TreeMap<>(deepCopy(values)));
    }

    public static Claims of(Map<String, ?> values) {
        return new Claims(new LinkedHashMap<>(values));
    }

    /** Parses a JSON object of claims (for {@code policy explain --claims} and tests). */
    public static Claims fromJson(String json) {
        try {
            Map<String, Object> map = Json.MAPPER.readValue(json, Json.MAPPER.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
            return new Claims(map);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("claims are not a JSON object: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        }
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
