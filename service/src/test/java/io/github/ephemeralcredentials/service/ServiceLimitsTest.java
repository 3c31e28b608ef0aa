package io.github.ephemeralcredentials.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.service.config.ServiceConfigReader;
import io.github.ephemeralcredentials.service.state.SharedStates;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits, TLS from PEM files, and the CI issuer's JWKS going away after the service has its keys. */
class ServiceLimitsTest {

    @TempDir
    Path dir;


    private TokenExchangeService start(IssuerServer ci, String url, int port, String extra) throws Exception {
        ServiceFiles.jwtPolicy(dir, ci.url());
        Path config = ServiceFiles.config(dir, "service.yaml", port, url, ci.url(), extra);
        return TokenExchangeService.start(ServiceConfigReader.read(config), SharedStates.open("memory",
                Clock.systemUTC()), n -> null, OutputStream.nullOutputStream(), Clock.systemUTC());
    }

    private static String token(IssuerServer ci, String url, String repository) {
        return ServiceFiles.token(ci, url, repository);
    }

    private static Response exchange(OkHttpClient http, String base, String token) throws Exception {
        return ServiceFiles.exchange(http, base, token);
    }

    @Test
    void aSubjectOverItsLimitIsToldToWaitWhileOthersAreNot() throws Exception {
        try (IssuerServer ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC())) {
            int port = LoopbackPort.free();
            String url = "http://127.0.0.1:" + port;
            OkHttpClient http = new OkHttpClient();
            try (TokenExchangeService service = start(ci, url, port, "limits: {per-subject-per-minute: 2}")) {
                for (int i = 0; i < 2; i++) {
                    try (Response ok = exchange(http, url, token(ci, url, "acme/app"))) {
                        assertThat(ok.code()).isEqualTo(200);
                    }
                }
                try (Response limited = exchange(http, url, token(ci, url, "acme/app"))) {
                    assertThat(limited.code()).isEqualTo(429);
                    assertThat(limited.header("Retry-After")).isEqualTo("60");
                    assertThat(limited.body().string()).contains("temporarily_unavailable");
                }
                try (Response other = exchange(http, url, token(ci, url, "acme/other"))) {
                    assertThat(other.code()).as("another subject: denied by the policy, not limited").isEqualTo(400);
                }
            }
        }
    }

    /** A stop lets the exchange in flight finish (its provider answers slowly) before the server goes away. */
    @Test
    void stoppingFinishesTheRequestsInFlight() throws Exception {
        try (IssuerServer ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
             mockwebserver3.MockWebServer sts = new mockwebserver3.MockWebServer()) {
            sts.start(InetAddress.getLoopbackAddress(), 0);
            sts.enqueue(io.github.ephemeralcredentials.core.provider.aws.StsWire.xml(200,
                    io.github.ephemeralcredentials.core.provider.aws.StsWire.webIdentitySuccess("ASIASLOW", "slow-secret",
                            "slow-session", Instant.now().plusSeconds(900).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
                    .newBuilder().headersDelay(1500, java.util.concurrent.TimeUnit.MILLISECONDS).build());
            int port = LoopbackPort.free();
            String url = "http://127.0.0.1:" + port;
            Files.writeString(dir.resolve("policy.yaml"), """
                    version: 1
                    profiles:
                      deploy:
                        provider: aws
                        maxLifetime: 15m
                        parameters: {role-arn: "arn:aws:iam::123456789012:role/deploy", endpoint: "%s"}
                    rules:
                      - {name: acme, issuer: "%s", profiles: [deploy], claims: {repository: acme/app}}
                    """.formatted(sts.url("/"), ci.url()));
            Path config = Files.writeString(dir.resolve("service.yaml"), """
                    listen: 127.0.0.1:%d
                    url: %s
                    trust: [%s]
                    policy: policy.yaml
                    """.formatted(port, url, ci.url()));
            TokenExchangeService service = TokenExchangeService.start(ServiceConfigReader.read(config),
                    SharedStates.open("memory", Clock.systemUTC()), n -> null, OutputStream.nullOutputStream(),
                    Clock.systemUTC());
            OkHttpClient http = new OkHttpClient();
            var inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (Response response = http.newCall(new Request.Builder().url(url + "/token").post(new FormBody.Builder()
                        .add("grant_type", TokenEndpoint.GRANT_TYPE).add("subject_token", token(ci, url, "acme/app"))
                        .add("subject_token_type", "urn:ietf:params:oauth:token-type:jwt").add("audience", "deploy")
                        .build()).build()).execute()) {
                    return response.code();
                } catch (java.io.IOException e) {
                    return -1;
                }
            });
            assertThat(sts.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS)).as("the exchange reached STS").isNotNull();
            service.close();
            assertThat(inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS)).as("answered before the stop").isEqualTo(200);
        }
    }

    @Test
    void withEdDsaTheServiceSignsEd25519TokensARelyingPartyVerifies() throws Exception {
        try (IssuerServer ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC())) {
            int port = LoopbackPort.free();
            String url = "http://127.0.0.1:" + port;
            OkHttpClient http = new OkHttpClient();
            try (TokenExchangeService service = start(ci, url, port, "signing-algorithm: EdDSA");
                 Response ok = exchange(http, url, token(ci, url, "acme/app"))) {
                String jwt = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ok.body().string())
                        .path("access_token").asText();
                assertThat(com.nimbusds.jwt.SignedJWT.parse(jwt).getHeader().getAlgorithm().getName()).isEqualTo("EdDSA");
                var claims = io.github.ephemeralcredentials.core.oidc.TokenVerifier.builder(url,
                        "https://api.internal.example", new io.github.ephemeralcredentials.core.oidc.JwksCache(http,
                                io.github.ephemeralcredentials.core.oidc.JwksCache.Settings.DEFAULT, Clock.systemUTC()))
                        .build().verify(jwt);
                assertThat(claims.subject()).isEqualTo("repo:acme/app:ref:refs/heads/main");
            }
        }
    }

    @Test
    void tlsFromPemFilesServesTheConfiguredCertificate() throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("Test CA").build();
        HeldCertificate server = new HeldCertificate.Builder().signedBy(ca).addSubjectAlternativeName("127.0.0.1")
                .build();
        Files.writeString(dir.resolve("tls.crt"), server.certificatePem() + ca.certificatePem());
        Files.writeString(dir.resolve("tls.key"), server.privateKeyPkcs8Pem());
        try (IssuerServer ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC())) {
            int port = LoopbackPort.free();
            String url = "https://127.0.0.1:" + port;
            HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate())
                    .build();
            OkHttpClient http = new OkHttpClient.Builder()
                    .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager()).build();
            try (TokenExchangeService service = start(ci, url, port, "tls: {certificate: tls.crt, key: tls.key}")) {
                assertThat(service.uri().getScheme()).isEqualTo("https");
                try (Response ok = exchange(http, url, token(ci, url, "acme/app"))) {
                    assertThat(ok.code()).isEqualTo(200);
                    assertThat(ok.handshake().tlsVersion().javaName()).isIn("TLSv1.3", "TLSv1.2");
                }
            }
        }
    }

    @Test
    void cachedKeysKeepVerifyingWhenTheIssuerIsDownAndUnknownKidsDoNotHammerIt() throws Exception {
        try (IssuerServer ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC())) {
            int port = LoopbackPort.free();
            String url = "http://127.0.0.1:" + port;
            OkHttpClient http = new OkHttpClient();
            try (TokenExchangeService service = start(ci, url, port, "")) {
                try (Response first = exchange(http, url, token(ci, url, "acme/app"))) {
                    assertThat(first.code()).isEqualTo(200);
                }
                ci.jwksResponse(body -> new MockResponse.Builder().code(503).build());
                try (Response cached = exchange(http, url, token(ci, url, "acme/app"))) {
                    assertThat(cached.code()).as("verified with the cached keys").isEqualTo(200);
                }
                int fetches = ci.jwksFetches();
                KeyRing stranger = KeyRing.generate(SigningAlgorithm.ES256, Instant.now());
                var forger = new io.github.ephemeralcredentials.core.oidc.TokenIssuer(ci.url(), () -> stranger,
                        Clock.systemUTC());
                for (int i = 0; i < 20; i++) {
                    try (Response refused = exchange(http, url, forger.mint("s", List.of(url), Duration.ofMinutes(5),
                            Map.of("repository", "acme/app")))) {
                        assertThat(refused.code()).isIn(400, 503);
                    }
                }
                assertThat(ci.jwksFetches() - fetches).as("twenty unknown kids, at most one refetch").isLessThanOrEqualTo(1);
            }
        }
    }
}
