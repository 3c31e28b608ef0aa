package io.github.ephemeralcredentials.core.provider.oauth;

import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;

/**
 * Helpers for wire-format tests of OAuth endpoints: CI tokens from our real {@link TokenIssuer}, RFC 6749 §5.1/§5.2
 * response bodies, and reading the form a provider posted.
 */
public final class OAuthWire {

    public static final String CI_ISSUER = "https://ci.example.test";
    private static final KeyRing KEYS = KeyRing.generate(SigningAlgorithm.RS256, Instant.now());
    private static final TokenIssuer ISSUER = new TokenIssuer(CI_ISSUER, () -> KEYS, Clock.systemUTC());

    private OAuthWire() {
    }

    public static String ciToken(String subject, String audience) {
        return ISSUER.mint(subject, List.of(audience), Duration.ofMinutes(5), Map.of("repository", "acme/app"));
    }

    public static Claims claims(String token) {
        try {
            return Claims.of(com.nimbusds.jwt.JWTParser.parse(token).getJWTClaimsSet().toJSONObject());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ExchangeRequest request(String token, Map<String, Object> parameters, Map<String, Object> scope) {
        return new ExchangeRequest(() -> token, claims(token), parameters, scope, Duration.ofMinutes(15));
    }

    public static Map<String, Object> params(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    public static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .setHeader("Cache-Control", "no-store").body(body).build();
    }

    public static MockResponse token(String accessToken, String extra) {
        return json(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":300"
                + (extra.isEmpty() ? "" : "," + extra) + "}");
    }

    public static MockResponse error(int code, String error, String description) {
        return json(code, "{\"error\":\"" + error + "\"" + (description == null ? ""
                : ",\"error_description\":\"" + description + "\"") + "}");
    }

    /** The posted form, decoded, with repeated names kept in order. */
    public static Map<String, List<String>> form(RecordedRequest request) {
        HttpUrl parsed = HttpUrl.get("http://x/?" + request.getBody().utf8());
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (String name : parsed.queryParameterNames()) {
            form.put(name, parsed.queryParameterValues(name));
        }
        return form;
    }
}
