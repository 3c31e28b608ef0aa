package io.github.ephemeralcredentials.core.provider.oauth;

import java.util.Map;
import java.util.Objects;

/**
 * An error response of a token or revocation endpoint (RFC 6749 §5.2). The description comes from the server and
 * is shown to users, so it has already been cleaned of every secret we sent and of anything shaped like a token.
 *
 * @param status      the HTTP status
 * @param code        {@code error}, e.g. {@code invalid_grant}
 * @param description {@code error_description}, cleaned and shortened; may be {@code null}
 * @param uri         {@code error_uri}; may be {@code null}
 * @param extensions  further scalar members (Entra's {@code trace_id}, {@code correlation_id}, ...), cleaned
 */
public record OAuthError(int status, String code, String description, String uri, Map<String, String> extensions) {

    public OAuthError {
        Objects.requireNonNull(code, "code");
        extensions = Map.copyOf(extensions);
    }

    /** {@code code} and, when present, the description, for messages: {@code invalid_grant: "Token is not active"}. */
    public String summary() {
        return description == null ? code : code + ": \"" + description + "\"";
    }
}
