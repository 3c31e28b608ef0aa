package io.github.ephemeralcredentials.core.provider.oauth;

import java.time.Instant;
import java.util.Objects;

/**
 * A successful token response (RFC 6749 §5.1, RFC 8693 §2.2.1).
 *
 * @param accessToken     {@code access_token}, a secret
 * @param tokenType       {@code token_type} ({@code Bearer}, or {@code N_A} for RFC 8693 non-access tokens)
 * @param issuedTokenType {@code issued_token_type} (RFC 8693), or {@code null}
 * @param expiresAt       now + {@code expires_in}, or {@code null} when the server did not say
 * @param scope           {@code scope} as granted, or {@code null} when it is the requested one (§5.1)
 * @param refreshToken    {@code refresh_token}, a secret, or {@code null}; never exported, only revoked
 */
public record TokenResponse(String accessToken, String tokenType, String issuedTokenType, Instant expiresAt,
                            String scope, String refreshToken) {

    public TokenResponse {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(tokenType, "tokenType");
    }

    @Override
    public String toString() {
        return "TokenResponse[accessToken=****, tokenType=" + tokenType + ", issuedTokenType=" + issuedTokenType
                + ", expiresAt=" + expiresAt + ", scope=" + scope + ", refreshToken="
                + (refreshToken == null ? "none" : "****") + "]";
    }
}
