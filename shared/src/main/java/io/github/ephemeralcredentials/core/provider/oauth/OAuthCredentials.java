package io.github.ephemeralcredentials.core.provider.oauth;

import com.nimbusds.jwt.JWTParser;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a token response into the credential the host exports, with its RFC 7009 revocations. */
final class OAuthCredentials {

    private OAuthCredentials() {
    }

    static EphemeralCredential of(String provider, OAuthProfile profile, ServerMetadata server, TokenResponse token,
                                  Instant now, Duration requested) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("token-endpoint", server.tokenEndpoint().toString());
        if (server.issuer() != null) {
            facts.put("issuer", server.issuer());
        }
        if (profile.client().clientId() != null) {
            facts.put("client-id", profile.client().clientId());
            facts.put("principal", profile.client().clientId());
        }
        String scope = token.scope() != null ? token.scope() : String.join(" ", profile.scopes());
        if (!scope.isBlank()) {
            facts.put("scope", scope);
        }
        Instant expiresAt = token.expiresAt();
        if (expiresAt == null) {
            expiresAt = jwtExpiry(token.accessToken());
            facts.put("expiration-source", expiresAt == null ? "assumed: the server gave no expires_in" : "access token exp");
            if (expiresAt == null) {
                expiresAt = now.plus(requested);
            }
        }
        List<CredentialValue> values = new ArrayList<>();
        values.add(CredentialValue.secret("access-token", token.accessToken(), profile.envVar()));
        values.add(CredentialValue.plain("token-type", token.tokenType(), null));
        if (token.issuedTokenType() != null) {
            values.add(CredentialValue.plain("issued-token-type", token.issuedTokenType(), null));
        }
        if (token.scope() != null) {
            values.add(CredentialValue.plain("scope", token.scope(), null));
        }
        values.add(CredentialValue.plain("expiration", expiresAt.toString(), null));

        List<Revocation> revocations = new ArrayList<>();
        if (profile.revoke() && server.revocationEndpoint() != null) {
            // The refresh token first: revoking it also ends the access tokens of its grant on most servers
            // (RFC 7009 §2.1), and we never hand it out, so nothing but this revocation would end it early.
            if (token.refreshToken() != null) {
                revocations.add(Rfc7009.revocation(provider, server.revocationEndpoint(), token.refreshToken(),
                        "refresh_token", profile.client()));
            }
            revocations.add(Rfc7009.revocation(provider, server.revocationEndpoint(), token.accessToken(),
                    "access_token", profile.client()));
        }
        return new EphemeralCredential(provider, values, facts, expiresAt, revocations, List.of());
    }

    /** A JWT access token's own {@code exp}, read without verification only to know when it ends. */
    private static Instant jwtExpiry(String accessToken) {
        try {
            Date exp = JWTParser.parse(accessToken).getJWTClaimsSet().getExpirationTime();
            return exp == null ? null : exp.toInstant();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }
}
