package io.github.ephemeralcredentials.core.provider.jwt;

import static io.github.ephemeralcredentials.core.provider.CiTokens.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jose.jwk.JWKSet;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.exchange.CredentialRequest;
import io.github.ephemeralcredentials.core.exchange.Exchange;
import io.github.ephemeralcredentials.core.exchange.ExchangeException;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.exchange.Plan;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import io.github.ephemeralcredentials.core.oidc.JwksCache;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.core.oidc.TrustedIssuers;
import io.github.ephemeralcredentials.core.oidc.UnverifiedClaims;
import io.github.ephemeralcredentials.core.oidc.VerifiedClaims;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service's own JWTs: signed by its {@link TokenIssuer}, verifiable with its JWKS alone, carrying the claims the
 * profile copies; issued only on verified claims, and only where a signer exists.
 */
class JwtProviderTest {

    private static final String SERVICE = "https://credentials.example.com";

    @TempDir
    Path dir;

    private final KeyRing serviceKeys = KeyRing.generate(SigningAlgorithm.ES256, Instant.now());
    private final TokenIssuer signer = new TokenIssuer(SERVICE, () -> serviceKeys, Clock.systemUTC());
    private IssuerServer github;
    private VerifiedClaims verified;
    private String ciToken;

    @BeforeEach
    void start() throws Exception {
        github = new IssuerServer(KeyRing.generate(SigningAlgorithm.RS256, Instant.now()), Clock.systemUTC());
        ciToken = github.issuer().mint("repo:acme/app:ref:refs/heads/main", List.of(SERVICE), Duration.ofMinutes(5),
                Map.of("repository", "acme/app", "ref", "refs/heads/main", "run_id", "4242",
                        "job_workflow_ref", "acme/app/.github/workflows/deploy.yml@refs/heads/main"));
        verified = new TrustedIssuers(List.of(github.url()), new JwksCache(new OkHttpClient(),
                JwksCache.Settings.DEFAULT, Clock.systemUTC()), Clock.systemUTC()).verify(ciToken, SERVICE);
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private Map<String, CredentialProvider> providers(TokenIssuer withSigner) {
        return Providers.standard(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(1), name -> null,
                CredentialsFileHost.privateIn(dir), Clock.systemUTC(), withSigner);
    }

    private static Plan plan(Map<String, Object> parameters, Map<String, Object> scope) {
        return Exchange.plan(CredentialRequest.direct("jwt", parameters, scope).withLifetime(Duration.ofMinutes(10)),
                null);
    }

    private static JWTClaimsSet verifiedWith(JWKSet jwks, String token) throws Exception {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, new ImmutableJWKSet<>(jwks)));
        return processor.process(token, null);
    }

    @Test
    void signsAJwtThatTheServicesJwksVerifiesWithTheCopiedClaims() throws Exception {
        Plan plan = plan(map("audience", List.of("https://deploy.internal", "https://audit.internal"),
                "claims", List.of("repository", "ref", "environment"), "subject-claim", "job_workflow_ref"),
                map("scopes", List.of("deploy", "read")));
        assertThat(plan.audience()).as("no default: the CI token's aud is the service's business").isNull();
        Instant before = Instant.now();

        ExchangeOutcome outcome = new Exchange(providers(signer), List.of(), Clock.systemUTC())
                .run(plan, verified, () -> ciToken);

        EphemeralCredential credential = ((ExchangeOutcome.Issued) outcome).credential();
        String jwt = credential.value("token").orElseThrow().value();
        assertThat(credential.environment()).containsOnlyKeys("EPHEMERAL_CREDENTIALS_JWT");
        JWTClaimsSet claims = verifiedWith(JWKSet.parse(signer.jwks()), jwt);
        assertThat(claims.getIssuer()).isEqualTo(SERVICE);
        assertThat(claims.getSubject()).isEqualTo("acme/app/.github/workflows/deploy.yml@refs/heads/main");
        assertThat(claims.getAudience()).containsExactly("https://deploy.internal", "https://audit.internal");
        assertThat(claims.getStringClaim("repository")).isEqualTo("acme/app");
        assertThat(claims.getStringClaim("ref")).isEqualTo("refs/heads/main");
        assertThat(claims.getClaims()).doesNotContainKeys("environment", "run_id");
        assertThat(claims.getStringClaim("scope")).isEqualTo("deploy read");
        assertThat(claims.getExpirationTime().toInstant()).isCloseTo(before.plus(Duration.ofMinutes(10)),
                within(5, ChronoUnit.SECONDS));

        assertThat(credential.provider()).isEqualTo("jwt");
        assertThat(credential.expiresAt()).isEqualTo(claims.getExpirationTime().toInstant());
        assertThat(credential.facts()).containsExactly(
                Map.entry("principal", "acme/app/.github/workflows/deploy.yml@refs/heads/main"),
                Map.entry("scope", "deploy read"),
                Map.entry("audience", "https://deploy.internal https://audit.internal"),
                Map.entry("jti", claims.getJWTID()));
        assertThat(credential.revocations()).as("relying parties verify offline; the lifetime is the bound").isEmpty();
        assertThat(outcome.audit().toString()).doesNotContain(jwt);
    }

    @Test
    void theSubjectIsTheCiTokensSubByDefaultAndNothingElseIsCopied() throws Exception {
        EphemeralCredential credential = new JwtProvider(signer).exchange(new ExchangeRequest(() -> ciToken,
                verified.claims(), map("audience", "https://deploy.internal"), Map.of(), Duration.ofMinutes(5)));
        JWTClaimsSet claims = verifiedWith(JWKSet.parse(signer.jwks()),
                credential.value("token").orElseThrow().value());
        assertThat(claims.getSubject()).isEqualTo("repo:acme/app:ref:refs/heads/main");
        assertThat(claims.getClaims().keySet()).containsExactlyInAnyOrder("iss", "sub", "aud", "iat", "nbf", "exp",
                "jti");
        assertThat(credential.facts()).doesNotContainKey("scope");
    }

    @Test
    void theCoreRunsItOnlyOnVerifiedClaims() {
        Plan plan = plan(map("audience", "https://deploy.internal"), Map.of());
        assertThat(plan.descriptor().presentsCiToken()).isFalse();
        List<String> asked = new java.util.ArrayList<>();

        assertThatThrownBy(() -> new Exchange(providers(signer), List.of(), Clock.systemUTC())
                .run(plan, new UnverifiedClaims(verified.claims()), () -> {
                    asked.add(ciToken);
                    return ciToken;
                })).isInstanceOfSatisfying(ExchangeException.class, e -> assertThat(e.reason())
                        .isEqualTo(ExchangeException.Reason.UNVERIFIED_CLAIMS))
                .hasMessageContaining("provider 'jwt'");
        assertThat(asked).isEmpty();
    }

    @Test
    void withoutASignerItRefusesSayingOnlyTheServiceSignsSuchTokens() {
        ExchangeOutcome outcome = new Exchange(providers(null), List.of(), Clock.systemUTC())
                .run(plan(map("audience", "https://deploy.internal"), Map.of()), verified, () -> ciToken);

        assertThat(outcome).isInstanceOfSatisfying(ExchangeOutcome.Failed.class, failed -> {
            assertThat(failed.failure().reason()).isEqualTo(Reason.INVALID_PARAMETERS);
            assertThat(failed.failure().getMessage()).contains("only the token-exchange service")
                    .contains("ephemeral-credentials serve");
        });
        // The four-argument and five-argument factories pass no signer either.
        assertThatThrownBy(() -> Providers.standard(new OkHttpClient(), Retries.immediate(1), name -> null,
                Clock.systemUTC()).get("jwt").exchange(request(map("audience", "a"), Map.of(), Duration.ofMinutes(5))))
                .hasMessageContaining("only the token-exchange service");
    }

    private ExchangeRequest request(Map<String, Object> parameters, Map<String, Object> scope, Duration lifetime) {
        return new ExchangeRequest(() -> ciToken, verified.claims(), parameters, scope, lifetime);
    }

    @Test
    void refusesWhatTheProfileCannotAsk() {
        JwtProvider provider = new JwtProvider(signer);
        assertThatThrownBy(() -> provider.exchange(request(map("claims", "repository"), Map.of(), Duration.ofMinutes(5))))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.parameter()).contains("audience"));
        assertThatThrownBy(() -> provider.exchange(request(map("audience", "a", "claims", List.of("aud", "iss", "ref")),
                Map.of(), Duration.ofMinutes(5)))).hasMessageContaining("[aud, iss]")
                .hasMessageContaining("'subject-claim'");
        assertThatThrownBy(() -> provider.exchange(request(map("audience", "a", "claims", "scope"),
                map("scopes", "x"), Duration.ofMinutes(5)))).hasMessageContaining("[scope]");
        assertThatThrownBy(() -> provider.exchange(request(map("audience", "a", "subject-claim", "environment"),
                Map.of(), Duration.ofMinutes(5)))).hasMessageContaining("'environment'")
                .hasMessageContaining("does not carry");
        for (Duration outside : List.of(Duration.ofSeconds(59), Duration.ofMinutes(61))) {
            assertThatThrownBy(() -> provider.exchange(request(map("audience", "a"), Map.of(), outside)))
                    .hasMessageContaining("60 to 3600 s");
        }
        assertThatThrownBy(() -> provider.exchange(request(map("audience", "a", "issuer", "x"), Map.of(),
                Duration.ofMinutes(5)))).hasMessageContaining("unknown parameter");
    }

    @Test
    void itsDescriptorBoundsTheLifetimeByTheIssuers() {
        assertThat(JwtDescriptor.DESCRIPTOR.minLifetime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(JwtDescriptor.DESCRIPTOR.maxLifetime(Map.of())).isEqualTo(TokenIssuer.MAX_LIFETIME);
        assertThat(JwtDescriptor.DESCRIPTOR.tokenFileParameter()).isNull();
        assertThat(JwtDescriptor.DESCRIPTOR.defaultAudience(Map.of("audience", "a"))).isEmpty();
    }
}
