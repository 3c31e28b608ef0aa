package io.github.ephemeralcredentials.core.oidc;

import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.oidc.OidcException.Reason;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Mints one build's token from its {@link BuildFacts}: {@code sub} from the facts, one audience per request. */
public final class BuildTokens {

    private final TokenIssuer issuer;

    public BuildTokens(TokenIssuer issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    public BuildToken mint(BuildFacts facts, String audience, Duration lifetime) {
        String token = issuer.mint(facts.subject(), List.of(audience == null ? "" : audience), lifetime, facts.claims());
        try {
            // Our own token, signed a moment ago: read back, not verified, so the claims are exactly what was signed
            // (numbers as JSON numbers, dates as epoch seconds).
            return new BuildToken(token, new VerifiedClaims(
                    Claims.of(SignedJWT.parse(token).getJWTClaimsSet().toJSONObject()), "minted by this host"));
        } catch (ParseException e) {
            throw new OidcException(Reason.ISSUE_REFUSED, "the token just minted could not be read back: " + e.getMessage());
        }
    }
}
