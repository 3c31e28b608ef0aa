package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code token verify} against a real issuer: our {@link TokenIssuer} behind a MockWebServer serving its discovery
 * document and JWKS on loopback, as a CI system would. Each bad token is refused naming the check that failed.
 */
class TokenVerifyCommandTest {

    private static final String AUDIENCE = "https://exchange.example.test";
    private static final MockWebServer SERVER = new MockWebServer();
    private static String issuerUrl;
    private static KeyRing keys;
    private static TokenIssuer issuer;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startIssuer() throws Exception {
        SERVER.start(InetAddress.getLoopbackAddress(), 0);
        issuerUrl = "http://127.0.0.1:" + SERVER.getPort() + "/ci";
        keys = KeyRing.generate(SigningAlgorithm.RS256, Instant.now());
        issuer = issuer(Clock.systemUTC());
        SERVER.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getUrl().encodedPath();
                if (path.equals("/ci/.well-known/openid-configuration")) {
                    return json(issuer.discoveryDocument());
                }
                if (path.equals("/ci/jwks")) {
                    return json(issuer.jwks());
                }
                return new MockResponse.Builder().code(404).build();
            }
        });
    }

    private static TokenIssuer issuer(Clock clock) {
        return new TokenIssuer(issuerUrl, () -> keys, clock);
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
    }

    @AfterAll
    static void stopIssuer() throws Exception {
        SERVER.close();
    }

    private static String good() {
        return issuer.mint("repo:acme/app:ref:refs/heads/main", List.of(AUDIENCE), Duration.ofMinutes(5),
                Map.of("repository", "acme/app", "ref", "refs/heads/main", "evil", "a\u202Eb\u001b[31m"));
    }

    private int verify(String token, String... more) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] args = new String[5 + more.length];
        args[0] = "token";
        args[1] = "verify";
        args[2] = "--issuer=" + issuerUrl;
        args[3] = "--audience=" + AUDIENCE;
        System.arraycopy(more, 0, args, 4, more.length);
        args[4 + more.length] = token;
        return cli.execute(args);
    }

    private void assertRefusedBy(String check, String reason, String token) {
        int code = verify(token);
        assertThat(code).as(out + "\n" + err).isEqualTo(1);
        assertThat(out.toString()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(check) + " +FAILED  " + reason)
                .contains("Refused by the " + check + " check.")
                .doesNotContain(token);
    }

    @Test
    void aGoodTokenPassesEveryCheckAndItsClaimsArePrintedEscaped() {
        String token = good();
        assertThat(verify(token)).as(out + "\n" + err).isZero();
        assertThat(out.toString())
                .containsPattern("(?m)^  format +ok")
                .containsPattern("(?m)^  signature and key +ok +verified with key '" + keys.active().kid() + "'")
                .containsPattern("(?m)^  aud +ok")
                .contains("The token verifies.")
                .contains("repository: acme/app")
                .contains("evil: a\\u202Eb\\u001B[31m")
                .doesNotContain("\u202E").doesNotContain("\u001b")
                .doesNotContain(token);
    }

    @Test
    void readsTheTokenFromStandardInput() {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        TokenVerifyCommand command = cli.getSubcommands().get("token").getSubcommands().get("verify").getCommand();
        command.stdin = new ByteArrayInputStream((good() + "\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(cli.execute("token", "verify", "--issuer", issuerUrl, "--audience", AUDIENCE, "-"))
                .as(out + "\n" + err).isZero();
    }

    @Test
    void expired() {
        assertRefusedBy("exp/nbf/iat", "EXPIRED", issuer(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-30)))
                .mint("repo:acme/app", List.of(AUDIENCE), Duration.ofMinutes(5), Map.of()));
    }

    @Test
    void notYetValid() {
        assertRefusedBy("exp/nbf/iat", "NOT_YET_VALID", issuer(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(30)))
                .mint("repo:acme/app", List.of(AUDIENCE), Duration.ofMinutes(5), Map.of()));
    }

    @Test
    void wrongAudience() {
        assertRefusedBy("aud", "BAD_AUDIENCE",
                issuer.mint("repo:acme/app", List.of("sts.amazonaws.com"), Duration.ofMinutes(5), Map.of()));
    }

    @Test
    void unknownIssuer() {
        TokenIssuer stranger = new TokenIssuer("https://ci.stranger.test", () -> keys, Clock.systemUTC());
        assertRefusedBy("iss", "BAD_ISSUER",
                stranger.mint("repo:acme/app", List.of(AUDIENCE), Duration.ofMinutes(5), Map.of()));
    }

    @Test
    void unknownKeyId() {
        KeyRing other = KeyRing.generate(SigningAlgorithm.RS256, Instant.now());
        assertRefusedBy("signature and key", "UNKNOWN_KEY", new TokenIssuer(issuerUrl, () -> other, Clock.systemUTC())
                .mint("repo:acme/app", List.of(AUDIENCE), Duration.ofMinutes(5), Map.of()));
    }

    @Test
    void algNone() {
        String none = new PlainJWT(claims()).serialize();
        assertRefusedBy("algorithm", "UNSUPPORTED_ALGORITHM", none);
    }

    @Test
    void hs256SignedWithThePublicKey() throws Exception {
        RSAKey publicKey = ((RSAKey) keys.active().key()).toPublicJWK();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keys.active().kid()).build(),
                claims());
        forged.sign(new MACSigner(publicKey.toRSAPublicKey().getEncoded()));
        assertRefusedBy("algorithm", "UNSUPPORTED_ALGORITHM", forged.serialize());
    }

    @Test
    void badSignature() {
        String[] parts = good().split("\\.");
        String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("acme/app", "evil/app");
        String tampered = parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertRefusedBy("signature and key", "BAD_SIGNATURE", tampered);
    }

    @Test
    void malformedIsBadInputAndNeverEchoed() {
        assertThat(verify("not-a-CANARY-token")).isEqualTo(3);
        assertThat(out.toString()).containsPattern("(?m)^  format +FAILED  MALFORMED").doesNotContain("CANARY");
    }

    @Test
    void withAPolicyTheDecisionIsExplainedClaimByClaim() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                profiles:
                  read:
                    provider: aws
                    maxLifetime: 15m
                    parameters:
                      role-arn: arn:aws:iam::123456789012:role/read
                rules:
                  - name: only-other
                    issuer: %s
                    profiles: [read]
                    claims:
                      repository: {glob: "other/*"}
                """.formatted(issuerUrl));
        int code = verify(good(), "--policy", policy.toString(), "--profile", "read");
        assertThat(code).as(out + "\n" + err).isEqualTo(1);
        assertThat(out.toString()).contains("The token verifies.").contains("repository").contains("other/*");
    }

    private static JWTClaimsSet claims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuerUrl).subject("repo:acme/app").audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build();
    }
}
