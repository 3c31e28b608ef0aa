package io.github.ephemeralcredentials.bench;

import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.util.Base64URL;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.JwksCache;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.core.oidc.TokenVerifier;
import io.github.ephemeralcredentials.core.oidc.VerifiedClaims;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Full verification (parse, allow-list, warm JWKS cache lookup, signature, claim checks) against the bare JDK
 * signature check of the same token. Target: {@code ours_X / baseline_X <= 1.3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenVerificationBenchmark {

    private MockWebServer server;
    private Token rs256;
    private Token es256;

    /** One signed token, its verifier, and the JDK view of the same signature. */
    private record Token(String jwt, TokenVerifier verifier, PublicKey key, String jdkAlgorithm, byte[] signingInput, byte[] signature) {
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        AtomicReference<TokenIssuer> current = new AtomicReference<>();
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                TokenIssuer issuer = current.get();
                String path = request.getUrl().encodedPath();
                String body = path.endsWith("/jwks") ? issuer.jwks() : issuer.discoveryDocument();
                return new MockResponse.Builder().setHeader("Cache-Control", "max-age=86400").body(body).build();
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        rs256 = token(current, SigningAlgorithm.RS256, "SHA256withRSA", "/rs");
        es256 = token(current, SigningAlgorithm.ES256, "SHA256withECDSAinP1363Format", "/es");
    }

    private Token token(AtomicReference<TokenIssuer> current, SigningAlgorithm alg, String jdkAlgorithm, String path) throws Exception {
        KeyRing ring = KeyRing.generate(alg, Instant.now());
        String issuerUrl = server.url(path).toString();
        TokenIssuer issuer = new TokenIssuer(issuerUrl, () -> ring, Clock.systemUTC());
        current.set(issuer);
        String jwt = issuer.mint("repo:acme/app:ref:refs/heads/main", List.of("sts.amazonaws.com"), Duration.ofHours(1),
                Map.of("repository", "acme/app", "ref", "refs/heads/main", "run_id", "1234567890"));
        JwksCache cache = new JwksCache(HttpClients.create(HttpSettings.DEFAULT), JwksCache.Settings.DEFAULT, Clock.systemUTC());
        TokenVerifier verifier = TokenVerifier.builder(issuerUrl, "sts.amazonaws.com", cache).build();
        verifier.verify(jwt); // warm the cache; the benchmark measures the steady state
        int lastDot = jwt.lastIndexOf('.');
        return new Token(jwt, verifier, ((AsymmetricJWK) ring.active().key()).toPublicKey(), jdkAlgorithm,
                jwt.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII), new Base64URL(jwt.substring(lastDot + 1)).decode());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
    }

    @Benchmark
    public VerifiedClaims ours_rs256() {
        return rs256.verifier().verify(rs256.jwt());
    }

    @Benchmark
    public boolean baseline_rs256() throws Exception {
        return jdkVerify(rs256);
    }

    @Benchmark
    public VerifiedClaims ours_es256() {
        return es256.verifier().verify(es256.jwt());
    }

    @Benchmark
    public boolean baseline_es256() throws Exception {
        return jdkVerify(es256);
    }

    private static boolean jdkVerify(Token t) throws Exception {
        Signature signature = Signature.getInstance(t.jdkAlgorithm());
        signature.initVerify(t.key());
        signature.update(t.signingInput());
        return signature.verify(t.signature());
    }
}
