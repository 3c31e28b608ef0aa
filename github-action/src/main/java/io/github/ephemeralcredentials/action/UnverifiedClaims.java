package io.github.ephemeralcredentials.action;

import com.nimbusds.jwt.JWTParser;
import io.github.ephemeralcredentials.action.ActionException.Reason;
import io.github.ephemeralcredentials.core.oidc.Claims;
import java.text.ParseException;

/**
 * The claims of the token the runner just handed this step, decoded without verifying the signature. That is
 * sound here and only here: the token came straight from the runner over its own authenticated channel, the
 * provider verifies it (it is the security boundary), and the claims serve the policy pre-flight (which mirrors
 * the administrator's policy to explain a denial early), session names and messages.
 */
public final class UnverifiedClaims {

    private UnverifiedClaims() {
    }

    public static Claims decode(String token) {
        try {
            return Claims.of(JWTParser.parse(token).getJWTClaimsSet().toJSONObject());
        } catch (ParseException | RuntimeException e) {
            throw new ActionException(Reason.ID_TOKEN_UNAVAILABLE, "the OIDC token is not a JWT (three "
                    + "base64url parts separated by dots); pass the token itself, not a file of JSON or a header");
        }
    }
}
