package io.github.ephemeralcredentials.core.oidc;

import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import io.github.ephemeralcredentials.core.oidc.OidcException.Reason;
import java.text.ParseException;
import java.util.Objects;

/**
 * A token's claims, decoded without checking its signature. Good for a pre-flight that explains a denial early, for
 * session names and messages — where the provider verifies the token itself — and for nothing that grants.
 */
public record UnverifiedClaims(Claims claims) implements CiClaims {

    public UnverifiedClaims {
        Objects.requireNonNull(claims, "claims");
    }

    /**
     * @throws OidcException {@code MALFORMED}, {@code TOO_LARGE} or, for an encrypted token,
     *                       {@code UNSUPPORTED_ALGORITHM}; never quoting the token
     */
    public static UnverifiedClaims decode(String token) {
        if (token != null && token.length() > TokenVerifier.MAX_TOKEN_CHARS) {
            throw new OidcException(Reason.TOO_LARGE, "the OIDC token is " + token.length() + " characters; at most "
                    + TokenVerifier.MAX_TOKEN_CHARS + " are accepted");
        }
        try {
            JWT jwt = JWTParser.parse(token);
            if (jwt instanceof EncryptedJWT) {
                throw new OidcException(Reason.UNSUPPORTED_ALGORITHM, "the OIDC token is encrypted (JWE); its claims "
                        + "cannot be read without the recipient's key - pass a signed token (JWS)");
            }
            return new UnverifiedClaims(Claims.of(jwt.getJWTClaimsSet().toJSONObject()));
        } catch (OidcException e) {
            throw e;
        } catch (ParseException | RuntimeException e) {
            throw new OidcException(Reason.MALFORMED, "the OIDC token is not a JWT (three base64url parts separated "
                    + "by dots); pass the token itself, not a file of JSON or a header");
        }
    }

    @Override
    public String provenance() {
        return "decoded, not verified";
    }
}
