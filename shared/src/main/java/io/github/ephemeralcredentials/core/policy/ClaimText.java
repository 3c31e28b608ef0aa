package io.github.ephemeralcredentials.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The text a claim value is matched on: strings as they are, numbers and booleans as their JSON text. */
final class ClaimText {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 200;

    private ClaimText() {
    }

    /** Texts to test: one for a scalar, one per element for an array, none for a missing claim. */
    static List<String> texts(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> texts = new ArrayList<>(list.size());
            for (Object element : list) {
                if (element != null) {
                    texts.add(text(element));
                }
            }
            return texts;
        }
        return List.of(text(value));
    }

    /** One value as JSON text; strings unquoted. */
    static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof java.math.BigInteger) {
            return value.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.toString();
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("claim value cannot be rendered as JSON", e);
        }
    }

    /** The presented value for an explanation: JSON text, shortened when very long. */
    static String shown(Object value) {
        if (value == null) {
            return "(missing)";
        }
        String text = value instanceof String s ? quote(s) : text(value);
        if (text.length() > SHOWN) {
            return text.substring(0, SHOWN) + "... (" + text.length() + " characters)";
        }
        return text;
    }

    /** A JSON string literal (RFC 8259 escaping); on the hot path of explanations, so no serializer round trip. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
