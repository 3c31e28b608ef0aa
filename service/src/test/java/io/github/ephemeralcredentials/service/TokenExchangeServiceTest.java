package io.github.ephemeralcredentials.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.core.provider.aws.StsWire;
import io.github.ephemeralcredentials.service.config.ServiceConfig;
import io.github.ephemeralcredentials.service.config.ServiceConfigReader;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service over real HTTP on loopback: a CI issuer serving its JWKS, an STS stand-in for the aws profile. */
class TokenExchangeServiceTest {

    private static final String SERVICE_AUD = "http://127.0.0.1:1";  // replaced by the real URL in the config
    private static final String SECRET = "canary-secret-access-key-0c5f";
    private static final String SESSION = "canary-session-token-77aa";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private IssuerServer ci;
    private MockWebServer sts;
    private TokenExchangeService service;
    private final CountingState state = new CountingState();
    private final ByteArrayOutputStream audit = new ByteArrayOutputStream();
    private final OkHttpClient http = new OkHttpClient();
    private String url;

    @BeforeEach
    void start() throws Exception {
        ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
        sts = new MockWebServer();
        sts.start(InetAddress.getLoopbackAddress(), 0);
        for (int i = 0; i < 5; i++) {
            sts.enqueue(StsWire.xml(200, StsWire.webIdentitySuccess("ASIACANARY", SECRET, SESSION,
                    Instant.now().plusSeconds(900).truncatedTo(ChronoUnit.SECONDS))));
        }
        int port = LoopbackPort.free();
        url = "http://127.0.0.1:" + port;
        Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                profiles:
                  deploy:
                    provider: aws
                    maxLifetime: 15m
                    parameters: {role-arn: "arn:aws:iam::123456789012:role/deploy", endpoint: "%s"}
                  internal-api:
                    provider: jwt
                    maxLifetime: 5m
                    parameters: {audience: https://api.internal.example, claims: [repository, ref]}
                    scope: {scopes: [deploy:read]}
                rules:
                  - name: main-only
                    issuer: %s
                    profiles: [deploy, internal-api]
                    claims: {ref: refs/heads/main}
                """.formatted(sts.url("/"), ci.url()));
        Path config = Files.writeString(dir.resolve("service.yaml"), """
                listen: 127.0.0.1:%d
                url: %s
                trust: [%s]
                policy: policy.yaml
                """.formatted(port, url, ci.url()));
        ServiceConfig parsed = ServiceConfigReader.read(config);
        service = TokenExchangeService.start(parsed, state, name -> null, audit, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        service.close();
        ci.close();
        sts.close();
    }

    private String ciToken(String ref) {
        return ci.issuer().mint("repo:acme/app:ref:" + ref, List.of(url), Duration.ofMinutes(5),
                Map.of("ref", ref, "repository", "acme/app"));
    }

    private Response post(String path, Map<String, String> fields) throws Exception {
        FormBody.Builder form = new FormBody.Builder();
        fields.forEach(form::add);
        return http.newCall(new Request.Builder().url(url + path).post(form.build()).build()).execute();
    }

    private Map<String, String> exchange(String token) {
        return Map.of("grant_type", TokenEndpoint.GRANT_TYPE, "subject_token", token,
                "subject_token_type", "urn:ietf:params:oauth:token-type:id_token", "audience", "deploy");
    }

    private JsonNode body(Response response) throws Exception {
        try (response) {
            return JSON.readTree(response.body().string());
        }
    }

    @Test
    void aBugInsideTheServiceAnswers500WithItsTypeAndLogsWhereButNeverItsMessage() throws Exception {
        String canary = "canary-bug-message-5d21";
        state.bug = () -> new IllegalStateException("quoting the caller: " + canary);
        java.io.PrintStream stderr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            // internal-api (jwt) is answered on the selector once the issuer's keys are cached; deploy (aws) on the pool.
            for (String profile : List.of("internal-api", "internal-api", "deploy")) {
                Map<String, String> fields = new java.util.HashMap<>(exchange(ciToken("refs/heads/main")));
                fields.put("audience", profile);
                Response response = post("/token", fields);
                assertThat(response.code()).as(profile).isEqualTo(500);
                JsonNode answer = body(response);
                assertThat(answer.path("error").asText()).isEqualTo("server_error");
                assertThat(answer.path("error_description").asText()).contains("IllegalStateException")
                        .doesNotContain(canary);
            }
        } finally {
            System.setErr(stderr);
        }
        String logged = err.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("java.lang.IllegalStateException (message withheld)").contains("CountingState")
                .doesNotContain(canary);
    }

    @Test
    void anAllowedExchangeAnswersRfc8693WithTheWholeCredentialAndAuditsWithoutASecret() throws Exception {
        String token = ciToken("refs/heads/main");
        Response response = post("/token", exchange(token));

        assertThat(response.code()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        JsonNode answer = body(response);
        assertThat(answer.path("issued_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(answer.path("token_type").asText()).isEqualTo("N_A");
        assertThat(answer.path("expires_in").asLong()).isBetween(1L, 900L);
        assertThat(answer.path("credential").path("provider").asText()).isEqualTo("aws");
        assertThat(answer.path("credential").path("values").findValuesAsText("env")).contains("AWS_SECRET_ACCESS_KEY");
        String trail = audit.toString(StandardCharsets.UTF_8);
        assertThat(trail).contains("\"outcome\":\"ISSUED\"").contains("deploy")
                .doesNotContain(SECRET).doesNotContain(SESSION).doesNotContain(token);
    }

    /** An internal service that trusts the token-exchange service verifies what it signed, from its JWKS alone. */
    @Test
    void aSelfSignedJwtVerifiesAgainstTheServicesOwnDiscoveryAndJwks() throws Exception {
        Map<String, String> form = new java.util.HashMap<>(exchange(ciToken("refs/heads/main")));
        form.put("audience", "internal-api");
        JsonNode answer = body(post("/token", form));
        String jwt = answer.path("access_token").asText();

        io.github.ephemeralcredentials.core.oidc.JwksCache jwks = new io.github.ephemeralcredentials.core.oidc.JwksCache(
                http, io.github.ephemeralcredentials.core.oidc.JwksCache.Settings.DEFAULT, Clock.systemUTC());
        var claims = io.github.ephemeralcredentials.core.oidc.TokenVerifier
                .builder(url, "https://api.internal.example", jwks).build().verify(jwt);
        assertThat(claims.string("repository")).contains("acme/app");
        assertThat(claims.string("ref")).contains("refs/heads/main");
        assertThat(claims.string("scope")).contains("deploy:read");
        assertThat(claims.subject()).isEqualTo("repo:acme/app:ref:refs/heads/main");
        assertThat(sts.getRequestCount()).isZero();
    }

    @Test
    void aDenialExplainsClaimByClaimAndNeverEchoesTheToken() throws Exception {
        String token = ciToken("refs/heads/feature");
        Response response = post("/token", exchange(token));

        assertThat(response.code()).isEqualTo(400);
        JsonNode answer = body(response);
        assertThat(answer.path("error").asText()).isEqualTo("invalid_grant");
        assertThat(answer.path("error_description").asText()).contains("denied profile 'deploy'")
                .contains("refs/heads/feature").doesNotContain(token);
        assertThat(answer.toString()).doesNotContain(token);
        assertThat(sts.getRequestCount()).isZero();
    }

    @Test
    void aTokenIsExchangedOncePerProfile() throws Exception {
        String token = ciToken("refs/heads/main");
        assertThat(post("/token", exchange(token)).code()).isEqualTo(200);
        Response again = post("/token", exchange(token));

        assertThat(again.code()).isEqualTo(400);
        assertThat(body(again).path("error_description").asText()).contains("already exchanged");
        assertThat(sts.getRequestCount()).isEqualTo(1);
        assertThat(scrape()).contains("ec_replays_rejected_total 1.0");
    }

    /** Signed with {@code key} under {@code header}'s algorithm and the claims given. */
    private static String signed(com.nimbusds.jose.jwk.ECKey key, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
        return jwt.serialize();
    }

    @Test
    void refusedTokensAreInvalidGrantsEachForItsReason() throws Exception {
        Instant now = Instant.now();
        com.nimbusds.jose.jwk.ECKey real = (com.nimbusds.jose.jwk.ECKey) ci.keys().active().key();
        com.nimbusds.jose.jwk.ECKey attacker = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
                com.nimbusds.jose.jwk.Curve.P_256).keyID(real.getKeyID()).generate();
        JWTClaimsSet good = new JWTClaimsSet.Builder().issuer(ci.url()).audience(url).subject("s")
                .claim("ref", "refs/heads/main").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).build();
        JWSHeader es256 = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(real.getKeyID()).build();
        SignedJWT hs256 = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), good);
        hs256.sign(new MACSigner(new byte[32]));
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("expired", signed(real, es256, new JWTClaimsSet.Builder(good)
                .expirationTime(Date.from(now.minusSeconds(600))).build()));
        cases.put("not yet valid", signed(real, es256, new JWTClaimsSet.Builder(good)
                .notBeforeTime(Date.from(now.plusSeconds(600))).build()));
        cases.put("wrong audience", signed(real, es256, new JWTClaimsSet.Builder(good)
                .audience("https://elsewhere.example").build()));
        cases.put("unknown kid", signed(real, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("nope").build(), good));
        cases.put("forged", signed(attacker, es256, good));
        cases.put("brings its own jwk", signed(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(real.getKeyID()).jwk(attacker.toPublicJWK()).build(), good));
        cases.put("points at its own jku", signed(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(real.getKeyID()).jwkURL(java.net.URI.create("https://evil.example/jwks"))
                .x509CertURL(java.net.URI.create("https://evil.example/cert")).build(), good));
        cases.put("alg none", new PlainJWT(good).serialize());
        cases.put("HS256 with a public key", hs256.serialize());
        cases.put("unknown issuer", new TokenIssuer("https://ci.elsewhere.example",
                () -> KeyRing.generate(SigningAlgorithm.ES256, now), Clock.systemUTC())
                .mint("s", List.of(url), Duration.ofMinutes(5), Map.of("ref", "refs/heads/main")));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Response response = post("/token", exchange(c.getValue()));
            JsonNode answer = body(response);
            assertThat(response.code()).as(c.getKey()).isEqualTo(400);
            assertThat(answer.path("error").asText()).as(c.getKey()).isEqualTo("invalid_grant");
            assertThat(answer.path("error_description").asText()).as(c.getKey()).contains("subject_token was refused");
            assertThat(answer.toString()).as(c.getKey()).doesNotContain(c.getValue());
        }
        assertThat(sts.getRequestCount()).isZero();
        assertThat(post("/token", exchange(signed(real, es256, good))).code()).as("the same claims, signed right")
                .isEqualTo(200);
    }

    @Test
    void malformedRequestsGetTheirRfc6749ErrorAndNothingIsIssued() throws Exception {
        String token = ciToken("refs/heads/main");
        assertThat(body(post("/token", Map.of("grant_type", TokenEndpoint.GRANT_TYPE,
                "subject_token_type", "urn:ietf:params:oauth:token-type:jwt", "audience", "deploy")))
                .path("error").asText()).isEqualTo("invalid_request");
        assertThat(body(post("/token", Map.of("grant_type", "client_credentials", "subject_token", token)))
                .path("error").asText()).isEqualTo("unsupported_grant_type");
        assertThat(body(post("/token", Map.of("grant_type", TokenEndpoint.GRANT_TYPE, "subject_token", token,
                "subject_token_type", "urn:ietf:params:oauth:token-type:jwt"))).path("error").asText())
                .isEqualTo("invalid_target");
        Response json = http.newCall(new Request.Builder().url(url + "/token").post(RequestBody.create(
                "{\"grant_type\":\"x\"}", MediaType.get("application/json"))).build()).execute();
        assertThat(json.code()).isEqualTo(400);
        assertThat(body(json).path("error").asText()).isEqualTo("invalid_request");
        Response huge = post("/token", Map.of("grant_type", TokenEndpoint.GRANT_TYPE, "subject_token",
                "x".repeat(1024 * 1024)));
        assertThat(huge.code()).isEqualTo(413);
        assertThat(body(huge).path("error").asText()).isEqualTo("invalid_request");
        Response bigToken = post("/token", exchange("e".repeat(100 * 1024)));
        assertThat(bigToken.code()).isEqualTo(413);
        Response unknownProfile = post("/token", Map.of("grant_type", TokenEndpoint.GRANT_TYPE, "subject_token",
                token, "subject_token_type", "urn:ietf:params:oauth:token-type:jwt", "audience", "nope"));
        assertThat(body(unknownProfile).path("error").asText()).isEqualTo("invalid_target");
        assertThat(sts.getRequestCount()).isZero();
        assertThat(audit.toString(StandardCharsets.UTF_8)).doesNotContain(token);
    }

    @Test
    void whenTheStoreCannotRuleOutAReplayNothingIsIssued() throws Exception {
        state.down = true;
        Response response = post("/token", exchange(ciToken("refs/heads/main")));

        assertThat(response.code()).isEqualTo(503);
        assertThat(body(response).path("error").asText()).isEqualTo("temporarily_unavailable");
        assertThat(sts.getRequestCount()).isZero();
        try (Response ready = http.newCall(new Request.Builder().url(url + "/readyz").build()).execute()) {
            assertThat(ready.code()).isEqualTo(503);
        }
    }

    @Test
    void servesItsKeysDiscoveryHealthAndMetrics() throws Exception {
        try (Response jwks = http.newCall(new Request.Builder().url(url + "/jwks").build()).execute();
             Response discovery = http.newCall(new Request.Builder().url(url + "/.well-known/openid-configuration")
                     .build()).execute();
             Response health = http.newCall(new Request.Builder().url(url + "/healthz").build()).execute()) {
            assertThat(JSON.readTree(jwks.body().string()).path("keys").size()).isPositive();
            assertThat(JSON.readTree(discovery.body().string()).path("issuer").asText()).isEqualTo(url);
            assertThat(health.code()).isEqualTo(200);
        }
        post("/token", exchange(ciToken("refs/heads/feature"))).close();
        assertThat(scrape()).contains("ec_exchanges_total{outcome=\"denied\",profile=\"deploy\"} 1.0")
                .contains("ec_exchange_duration_seconds_bucket").contains("ec_jwks_age_seconds");
    }

    @Test
    void aSubjectAskingForAProfileItNeverGotIsFlaggedOnTheAuditRecordAndInTheMetrics() throws Exception {
        assertThat(post("/token", exchange(ciToken("refs/heads/main"))).code()).isEqualTo(200);
        Map<String, String> other = new java.util.HashMap<>(exchange(ciToken("refs/heads/main")));
        other.put("audience", "internal-api");
        assertThat(post("/token", other).code()).isEqualTo(200);

        String[] lines = audit.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).doesNotContain("anomalies");
        JsonNode flagged = JSON.readTree(lines[1]);
        assertThat(flagged.path("profile").asText()).isEqualTo("internal-api");
        assertThat(flagged.path("anomalies").get(0).asText()).isEqualTo("NEW_PROFILE_FOR_SUBJECT");
        assertThat(lines[1]).doesNotContain(SECRET);
        assertThat(scrape())
                .contains("ec_anomalies_total{profile=\"internal-api\",signal=\"NEW_PROFILE_FOR_SUBJECT\"} 1.0");
    }

    @Test
    void revocationIsAnsweredForWhatWasIssuedAndForAnythingElse() throws Exception {
        assertThat(post("/revoke", Map.of("token", "never-issued")).code()).isEqualTo(200);
        assertThat(post("/revoke", Map.of()).code()).isEqualTo(400);
    }

    @Test
    void aChangedPolicyIsReloadedAndABrokenOneRefusedWhileTheOldOneKeepsDeciding() throws Exception {
        Path policy = dir.resolve("policy.yaml");
        String original = Files.readString(policy);
        Files.writeString(policy, original.replace("claims: {ref: refs/heads/main}", "claims: {ref: refs/heads/feature}"));
        service.reloadPolicy();
        assertThat(post("/token", exchange(ciToken("refs/heads/feature"))).code()).isEqualTo(200);

        Files.writeString(policy, original.replace("provider: aws", "provider: asw"));
        service.reloadPolicy();
        assertThat(post("/token", exchange(ciToken("refs/heads/feature"))).code())
                .as("the last good policy still decides").isEqualTo(200);
        assertThat(post("/token", exchange(ciToken("refs/heads/main"))).code()).isEqualTo(400);
    }

    private String scrape() throws Exception {
        try (Response metrics = http.newCall(new Request.Builder().url(url + "/metrics").build()).execute()) {
            return metrics.body().string();
        }
    }
}
