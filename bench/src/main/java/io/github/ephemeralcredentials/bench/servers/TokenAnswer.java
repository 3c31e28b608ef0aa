package io.github.ephemeralcredentials.bench.servers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What every candidate server's {@code POST /token} does once its own form parser has read the body: check that the
 * form is a token exchange and answer a fixed JSON token response of about 1 KB. The same bytes for every server, so
 * that the servers differ only in HTTP, form parsing and threading.
 */
final class TokenAnswer {

    static final int MAX_HEADER_BYTES = 8 * 1024;
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_FIELDS = 16;
    static final int IDLE_TIMEOUT_MILLIS = 10_000;
    static final String JSON = "application/json;charset=utf-8";

    static final byte[] OK = ("{\"access_token\":\"eyJhbGciOiJFUzI1NiIsImtpZCI6ImJlbmNoIiwidHlwIjoiSldUIn0."
            + "x".repeat(700) + ".sig-" + "s".repeat(80) + "\",\"issued_token_type\":"
            + "\"urn:ietf:params:oauth:token-type:jwt\",\"token_type\":\"Bearer\",\"expires_in\":900}")
            .getBytes(StandardCharsets.UTF_8);
    static final byte[] BAD = "{\"error\":\"invalid_request\",\"error_description\":\"not a token exchange\"}"
            .getBytes(StandardCharsets.UTF_8);

    private TokenAnswer() {
    }

    /** @return true when the parsed form is a token exchange with a subject token */
    static boolean isExchange(String grantType, String subjectToken) {
        return "urn:ietf:params:oauth:grant-type:token-exchange".equals(grantType)
                && subjectToken != null && subjectToken.length() > 100;
    }

    static boolean isExchange(Map<String, List<String>> form) {
        List<String> grant = form.get("grant_type");
        List<String> subject = form.get("subject_token");
        return grant != null && subject != null && isExchange(grant.get(0), subject.get(0));
    }
}
