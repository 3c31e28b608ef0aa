package io.github.ephemeralcredentials.service;

import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.service.config.ServiceConfig.IntrospectionClient;
import io.github.ephemeralcredentials.service.state.SharedState;
import io.github.ephemeralcredentials.service.state.StateUnavailableException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The JWTs the service signs itself (the {@code jwt} provider) after they leave it. A relying party verifies them
 * offline against {@code /jwks}, which no revocation can reach; one that must honour revocation before {@code exp}
 * asks {@code POST /introspect} (RFC 7662). A revocation is a mark on the token's {@code jti} in the shared store,
 * kept until the token expires, so every replica answers alike.
 */
final class OwnTokens {

    /** Relying parties allow this much clock skew past {@code exp}; the revocation mark outlives it. */
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final String REALM = "Basic realm=\"introspection\", charset=\"UTF-8\"";

    private final TokenIssuer signer;
    private final SharedState state;
    private final Map<String, IntrospectionClient> clients;
    private final Function<String, String> secrets;
    private final Clock clock;

    OwnTokens(TokenIssuer signer, SharedState state, Map<String, IntrospectionClient> clients,
              Function<String, String> secrets, Clock clock) {
        this.signer = signer;
        this.state = state;
        this.clients = Map.copyOf(clients);
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * Marks {@code token} revoked when the service signed it and it has not expired.
     *
     * @return its claims, or empty when it is not the service's (or already expired: nothing left to revoke)
     * @throws StateUnavailableException when the mark cannot be stored (the caller answers 503: retry)
     */
    Optional<Claims> revoke(String token) {
        Optional<Claims> claims = signer.readOwn(token);
        claims.ifPresent(c -> state.firstUse(markOf(c), untilExpiry(c)));
        return claims;
    }

    /** RFC 7662 §2: for an authenticated client, whether {@code token} is one of ours, for it, unexpired, unrevoked. */
    Answer introspect(String authorization, Map<String, List<String>> form) {
        IntrospectionClient client = authenticate(authorization);
        if (client == null) {
            return Answer.error(401, "invalid_client", "introspection needs the relying party's client id and secret "
                    + "(HTTP Basic, RFC 7662 §2.1) as the service's 'introspection' configuration lists them")
                    .withHeader("WWW-Authenticate", REALM);
        }
        List<String> tokens = form.getOrDefault("token", List.of());
        if (tokens.size() != 1 || tokens.get(0).isBlank()) {
            return Answer.error(400, "invalid_request", "send exactly one token parameter: the JWT to check");
        }
        Optional<Claims> claims = signer.readOwn(tokens.get(0));
        // RFC 7662 §2.2: a token that is not active, or not the caller's business, gets {"active": false} and no more.
        if (claims.isEmpty() || !claims.get().audience().contains(client.audience())) {
            return inactive();
        }
        try {
            if (state.recorded(markOf(claims.get()))) {
                return inactive();
            }
        } catch (StateUnavailableException e) {
            // Fail closed: a token that cannot be shown unrevoked is not vouched for.
            return Answer.error(503, "temporarily_unavailable", "the service cannot check revocations now ("
                    + e.getMessage() + "); retry shortly");
        }
        return Answer.ok(active(claims.get()));
    }

    private static Answer inactive() {
        return Answer.ok(Map.of("active", false));
    }

    private static Map<String, Object> active(Claims claims) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", true);
        body.put("token_type", "Bearer");
        for (String name : List.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "scope")) {
            claims.get(name).ifPresent(value -> body.put(name, value));
        }
        return body;
    }

    /** The client the Basic credentials name, when its secret matches; {@code null} otherwise. */
    private IntrospectionClient authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String id;
        String secret;
        try {
            // RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
            id = URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
            secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        IntrospectionClient client = clients.get(id);
        if (client == null) {
            return null;
        }
        String expected = secrets.apply(client.secret());
        if (expected == null || expected.isEmpty()) {
            return null;
        }
        // Digests first, so the comparison takes the same time whatever the lengths.
        return MessageDigest.isEqual(IssuedCredentials.hash(expected.strip()).getBytes(StandardCharsets.UTF_8),
                IssuedCredentials.hash(secret).getBytes(StandardCharsets.UTF_8)) ? client : null;
    }

    private static String markOf(Claims claims) {
        return "revoked:" + claims.issuer() + "\n" + claims.jwtId().orElse("");
    }

    private Duration untilExpiry(Claims claims) {
        Instant exp = claims.expiresAt().orElse(clock.instant());
        Duration left = Duration.between(clock.instant(), exp.plus(SKEW));
        return left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
    }
}
