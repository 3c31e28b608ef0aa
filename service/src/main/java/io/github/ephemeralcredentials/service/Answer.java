package io.github.ephemeralcredentials.service;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer before it is written: status, JSON body, extra headers. */
record Answer(int status, Map<String, Object> body, Map<String, String> headers) {

    Answer {
        body = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(body));
        headers = Map.copyOf(headers);
    }

    static Answer ok(Map<String, Object> body) {
        return new Answer(200, body, Map.of());
    }

    /**
     * An RFC 6749 §5.2 / RFC 8693 §2.2.2 error. The description names claims and reasons, never a token. RFC 6749
     * allows only printable ASCII without {@code "} and {@code \} in {@code error_description}, so that carries a
     * folded copy; the text as written (claim values in any script, one line per claim) goes in {@code explanation}.
     */
    static Answer error(int status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", rfc6749(description));
        if (!rfc6749(description).equals(description)) {
            body.put("explanation", description.lines().toList());
        }
        return new Answer(status, body, Map.of());
    }

    /** %x20-21 / %x23-5B / %x5D-7E: newlines fold to " | ", quotes to ', backslashes to /, anything else to ?. */
    static String rfc6749(String text) {
        StringBuilder out = new StringBuilder();
        String folded = String.join(" | ", text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            out.append(c == '"' ? '\'' : c == '\\' ? '/' : c >= 0x20 && c <= 0x7e ? c : '?');
        }
        return out.toString();
    }

    Answer withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Answer(status, body, more);
    }
}
