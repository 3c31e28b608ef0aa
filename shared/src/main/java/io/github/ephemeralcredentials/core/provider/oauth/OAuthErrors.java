package io.github.ephemeralcredentials.core.provider.oauth;

import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The standard reading of RFC 6749 §5.2 (and RFC 8693 §2.2.2 {@code invalid_target}) errors: a stable reason, and a
 * message that says which part of the CI token the server most likely refused when its description tells us.
 * Claim values (iss, sub, aud, exp) are repeated because they are not secrets and are exactly what an
 * administrator must compare with the server's configuration.
 */
public final class OAuthErrors implements ErrorTranslator {

    /** The part of the presented token a server's description points at. */
    enum Culprit {
        MISSING_CLAIM(Pattern.compile("claim is required|missing (required )?claim|claim .* missing")),
        AUDIENCE(Pattern.compile("\\baud(iences?)?\\b")),
        EXPIRY(Pattern.compile("expired|not active|\\bexp\\b|\\bnbf\\b|\\biat\\b|not yet valid|validity|too old|lifetime"
                + "|too far in the (past|future)")),
        REPLAY(Pattern.compile("reuse|replay|already used")),
        SIGNATURE(Pattern.compile("signature|\\bjwks?\\b|\\bkid\\b|public key")),
        ISSUER(Pattern.compile("\\biss(uer)?\\b|identity provider|\\bidp\\b")),
        SUBJECT(Pattern.compile("user not found|\\bsub(ject)?\\b|no (matching )?user|unknown user|not linked"));

        private final Pattern pattern;

        Culprit(Pattern pattern) {
            this.pattern = pattern;
        }

        static Optional<Culprit> in(String description) {
            if (description == null) {
                return Optional.empty();
            }
            String lower = description.toLowerCase(Locale.ROOT);
            for (Culprit c : values()) {
                if (c.pattern.matcher(lower).find()) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    }

    private static final Pattern INVALID_CLIENT_TEXT =
            Pattern.compile("invalid client|client credentials|client authentication", Pattern.CASE_INSENSITIVE);

    private final String provider;
    private final HttpUrl endpoint;
    private final String clientId;
    private final Claims claims;
    private final String presented;
    private final Clock clock;

    /**
     * @param clientId  the client id, or {@code null} for an anonymous client
     * @param claims    the CI token's claims, for hints; {@link Claims} with no values when not known (revocation)
     * @param presented how the CI token was presented, for messages (e.g. "subject_token", "assertion")
     */
    public OAuthErrors(String provider, HttpUrl endpoint, String clientId, Claims claims, String presented, Clock clock) {
        this.provider = provider;
        this.endpoint = endpoint;
        this.clientId = clientId;
        this.claims = claims;
        this.presented = presented;
        this.clock = clock;
    }

    @Override
    public ProviderException translate(OAuthError error) {
        String head = provider + ": " + endpoint + " refused the request (" + error.summary() + "). ";
        String code = error.code();
        if (code.equals("unauthorized_client") && error.description() != null
                && INVALID_CLIENT_TEXT.matcher(error.description()).find()) {
            // Keycloak (and others) answer unauthorized_client when the client secret is wrong.
            code = "invalid_client";
        }
        return switch (code) {
            case "invalid_grant" -> refusedToken(error, head);
            // RFC 6750 §3.1, which Keycloak answers when a subject_token fails validation.
            case "invalid_token" -> new ProviderException(provider, Reason.INVALID_TOKEN, error.code(), head
                    + hint(error.description()).orElse("The server could not validate the " + presented
                    + ": check that it trusts issuer " + claimsOr("iss", "?") + " (its discovery and JWKS must be "
                    + "reachable from the server) and that the token has not expired (exp=" + claimsOr("exp", "none")
                    + ", now=" + clock.instant().getEpochSecond() + ")."));
            case "invalid_client" -> new ProviderException(provider, Reason.INVALID_PARAMETERS, error.code(), head
                    + "The server did not accept the client authentication: check 'client-id', 'client-auth' "
                    + "(client_secret_basic or client_secret_post, as the client is registered) and the secret in "
                    + "the variable named by 'client-secret-env'.");
            case "unauthorized_client" -> new ProviderException(provider, Reason.ACCESS_DENIED, error.code(), head
                    + "The client is not allowed to use this grant type: enable it for "
                    + (clientId == null ? "anonymous clients" : "client '" + clientId + "'")
                    + " on the authorization server.");
            case "invalid_scope" -> new ProviderException(provider, Reason.INVALID_SCOPE, error.code(), head
                    + "Request only scopes the client may have: check the profile's 'scopes'.");
            case "invalid_target" -> new ProviderException(provider, Reason.INVALID_SCOPE, error.code(), head
                    + "The server will not issue a token for the requested 'audience'/'resource': check them against "
                    + "the targets it knows and allows for this client.");
            case "invalid_request" -> new ProviderException(provider, Reason.INVALID_PARAMETERS, error.code(), head
                    + "The request was malformed for this server: check the profile's parameters (e.g. "
                    + "'subject-issuer', 'subject-token-type', 'requested-token-type').");
            // Keycloak's answer to a subject_issuer that names no usable identity provider.
            case "invalid_issuer" -> new ProviderException(provider, Reason.INVALID_PARAMETERS, error.code(), head
                    + "The server knows no identity provider by that name: check 'subject-issuer' (the alias of the "
                    + "identity provider that trusts " + claimsOr("iss", "the CI issuer") + ").");
            case "unsupported_grant_type" -> new ProviderException(provider, Reason.INVALID_PARAMETERS, error.code(),
                    head + "The server does not support this grant: enable it on the server, or use another provider.");
            case "unsupported_token_type" -> new ProviderException(provider, Reason.INVALID_PARAMETERS, error.code(),
                    head + "The server does not revoke this token type; it expires by itself.");
            case "access_denied" -> new ProviderException(provider, Reason.ACCESS_DENIED, error.code(), head
                    + "The server's policy refuses this identity: " + identity() + ".");
            default -> new ProviderException(provider, Reason.UNEXPECTED_RESPONSE, error.code(), head
                    + "This error code is not defined by RFC 6749 or RFC 8693; see the server's documentation.");
        };
    }

    /**
     * For an error about the presented CI token: the reason and the hint its description supports, or
     * {@code ACCESS_DENIED} with the token's identity. Also used for client assertions refused as
     * {@code invalid_client}.
     */
    public ProviderException refusedToken(OAuthError error, String head) {
        Reason reason = Culprit.in(error.description()).map(c -> switch (c) {
            case EXPIRY, REPLAY, SIGNATURE, MISSING_CLAIM -> Reason.INVALID_TOKEN;
            default -> Reason.ACCESS_DENIED;
        }).orElse(Reason.ACCESS_DENIED);
        String hint = hint(error.description()).orElse("Check that the server trusts this identity: " + identity() + ".");
        return new ProviderException(provider, reason, error.code(), head + hint);
    }

    /** What the server's description says it refused, with the token's value for that part; empty if it does not say. */
    public Optional<String> hint(String description) {
        return Culprit.in(description).map(c -> switch (c) {
            case MISSING_CLAIM -> "The token lacks a claim the server requires (named in its description): the CI "
                    + "issuer must set it.";
            case AUDIENCE -> "It refused the token's audience: the CI token has aud=" + claims.audience()
                    + "; mint it with the audience this server expects (often its issuer or token endpoint URL).";
            case EXPIRY -> "It refused the token's validity window: the CI token has exp=" + claimsOr("exp", "none")
                    + ", nbf=" + claimsOr("nbf", "none") + ", and it is now " + clock.instant().getEpochSecond()
                    + "; fetch a fresh token, and check both clocks.";
            case REPLAY -> "It has seen this token (jti=" + claimsOr("jti", "none") + ") before: each " + presented
                    + " may be used once, so fetch a fresh CI token per exchange.";
            case SIGNATURE -> "It could not verify the token's signature: check that it trusts issuer "
                    + claimsOr("iss", "?") + " and fetches its current JWKS.";
            case ISSUER -> "It does not trust the token's issuer: the CI token has iss=" + claimsOr("iss", "none")
                    + "; configure that exact issuer on the server (or 'subject-issuer' here).";
            case SUBJECT -> "It does not know the token's subject: the CI token has sub=" + claimsOr("sub", "none")
                    + "; link that exact subject to a user or client on the server.";
        });
    }

    private String identity() {
        return "iss=" + claimsOr("iss", "none") + ", sub=" + claimsOr("sub", "none") + ", aud=" + claims.audience();
    }

    private String claimsOr(String name, String absent) {
        return claims.string(name).orElse(absent);
    }
}
