package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Fuzzes {@link TokenVerifier#verify}: any token ends in verified claims or an {@link OidcException} that does not
 * quote it; nothing else escapes. Only a token this test signed with the issuer's key may verify, and the verifier
 * asks for nothing but the issuer's discovery document and JWKS (served in memory), whatever URLs the token names.
 * Inputs are raw text, a header and payload of fuzzed JSON, or a well-formed header and payload with fuzzed claims,
 * signed by the issuer's key or not.
 */
class TokenVerifierFuzzTest {

    private static final String ISSUER = "https://issuer.example";
    private static final String AUDIENCE = "sts.amazonaws.com";
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    /** EC, not RSA: generating an RSA key under Jazzer's hooks takes half a minute. */
    private static final ECKey KEY = SigningAlgorithm.ES256.generate().toECKey();
    private static final Set<String> ASKED = ConcurrentHashMap.newKeySet();
    private static final TokenVerifier VERIFIER = TokenVerifier.builder(ISSUER, AUDIENCE,
            new JwksCache(issuerOnly(), JwksCache.Settings.DEFAULT, Clock.fixed(NOW, ZoneOffset.UTC)))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC)).maxTokenAge(java.time.Duration.ofMinutes(10)).build();

    /** An HTTP client that answers the issuer's two documents from memory and records every URL asked for. */
    private static OkHttpClient issuerOnly() {
        String discovery = "{\"issuer\":\"" + ISSUER + "\",\"jwks_uri\":\"" + ISSUER + "/jwks\"}";
        String jwks = new JWKSet(KEY.toPublicJWK()).toString();
        return new OkHttpClient.Builder().addInterceptor(chain -> {
            String url = chain.request().url().toString();
            ASKED.add(url);
            String body = url.equals(ISSUER + "/.well-known/openid-configuration") ? discovery
                    : url.equals(ISSUER + "/jwks") ? jwks : null;
            return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1)
                    .code(body == null ? 404 : 200).message(body == null ? "Not Found" : "OK")
                    .body(ResponseBody.create(body == null ? "" : body, MediaType.get("application/json")))
                    .build();
        }).build();
    }

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"\\\"alg\\\":\\\"ES256\\\"", "\\\"alg\\\":\\\"none\\\"", "\\\"alg\\\":\\\"HS256\\\"",
            "\\\"kid\\\":", "\\\"jku\\\":\\\"https://attacker.example/jwks\\\"", "\\\"jwk\\\":", "\\\"crit\\\":[",
            "\\\"iss\\\":\\\"https://issuer.example\\\"", "\\\"aud\\\":\\\"sts.amazonaws.com\\\"", "\\\"exp\\\":",
            "\\\"nbf\\\":", "\\\"iat\\\":", "1796126400", "eyJ", "."})
    void verify(FuzzedDataProvider data) throws Exception {
        int mode = data.consumeInt(0, 2);
        boolean signedByIssuer = false;
        String token;
        if (mode == 0) {
            token = data.consumeRemainingAsString();
        } else if (mode == 1) {
            token = b64(data.consumeString(200)) + "." + b64(data.consumeString(600)) + "."
                    + Base64URL.encode(data.consumeRemainingAsBytes());
        } else {
            Map<String, Object> claims = new java.util.LinkedHashMap<>();
            claims.put("iss", data.consumeBoolean() ? ISSUER : data.consumeString(40));
            claims.put("aud", data.consumeBoolean() ? AUDIENCE : List.of(data.consumeString(20), AUDIENCE));
            for (String time : List.of("exp", "nbf", "iat")) {
                switch (data.consumeInt(0, 3)) {
                    case 0 -> claims.put(time, NOW.getEpochSecond() + data.consumeInt(-1000, 1000));
                    case 1 -> claims.put(time, data.consumeLong());
                    case 2 -> claims.put(time, data.consumeRegularDouble()); // JSON has no Infinity or NaN
                    default -> { }
                }
            }
            claims.put(data.consumeString(20), data.consumeString(100));
            JWSAlgorithm alg = data.pickValue(List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.RS256));
            JWSHeader.Builder header = new JWSHeader.Builder(alg);
            if (data.consumeBoolean()) {
                header.keyID(data.consumeBoolean() ? KEY.getKeyID() : data.consumeString(40));
            }
            if (data.consumeBoolean()) {
                header.jwkURL(java.net.URI.create("https://attacker.example/jwks"));
            }
            com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(header.build(),
                    new com.nimbusds.jose.Payload(JSONObjectUtils.toJSONString(claims)));
            // Only ES256 is the key's own algorithm; ES384 or RS256 "signatures" below are fuzzed bytes.
            signedByIssuer = alg.equals(JWSAlgorithm.ES256) && data.consumeBoolean();
            if (signedByIssuer) {
                jws.sign(new ECDSASigner(KEY));
                token = jws.serialize();
            } else {
                token = jws.getHeader().toBase64URL() + "." + jws.getPayload().toBase64URL() + "."
                        + Base64URL.encode(data.consumeRemainingAsBytes());
            }
        }
        try {
            VerifiedClaims verified = VERIFIER.verify(token);
            assertThat(signedByIssuer).as("only a token the issuer's key signed verifies").isTrue();
            assertThat(verified.claims().issuer()).isEqualTo(ISSUER);
            assertThat(verified.claims().audience()).contains(AUDIENCE);
        } catch (OidcException e) {
            assertThat(e.reason()).isNotNull();
            if (token.length() > 20) {
                assertThat(e.getMessage()).doesNotContain(token);
            }
        }
        assertThat(ASKED).isSubsetOf(ISSUER + "/.well-known/openid-configuration", ISSUER + "/jwks");
    }

    private static String b64(String text) {
        return Base64URL.encode(text.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
