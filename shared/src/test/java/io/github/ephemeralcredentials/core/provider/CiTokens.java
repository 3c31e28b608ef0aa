package io.github.ephemeralcredentials.core.provider;

import com.nimbusds.jwt.JWTParser;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CI tokens signed by our real {@link TokenIssuer}, and exchange requests around them, for provider tests. */
public final class CiTokens {

    public static final String ISSUER = "https://token.actions.githubusercontent.com";
    private static final KeyRing KEYS = KeyRing.generate(SigningAlgorithm.RS256, Instant.now());
    private static final TokenIssuer TOKENS = new TokenIssuer(ISSUER, () -> KEYS, Clock.systemUTC());

    private CiTokens() {
    }

    /** A GitHub-Actions-shaped token for {@code subject} and {@code audience}. */
    public static String mint(String subject, String audience) {
        return TOKENS.mint(subject, List.of(audience), Duration.ofMinutes(5),
                Map.of("repository", "acme/app", "ref", "refs/heads/main", "run_id", "4242"));
    }

    public static Claims claims(String token) {
        try {
            return Claims.of(JWTParser.parse(token).getJWTClaimsSet().toJSONObject());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ExchangeRequest request(String token, Map<String, Object> parameters, Map<String, Object> scope,
                                         Duration lifetime) {
        return new ExchangeRequest(() -> token, claims(token), parameters, scope, lifetime);
    }

    public static ExchangeRequest request(String token, Map<String, Object> parameters) {
        return request(token, parameters, Map.of(), Duration.ofMinutes(15));
    }

    /** A mutable map from alternating names and values, so tests can add or remove one entry. */
    public static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
