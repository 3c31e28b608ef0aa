package io.github.ephemeralcredentials.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.oidc.UnverifiedClaims;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExchangeTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String ISSUER = "https://ci.example.com/ephemeral-credentials-oidc";
    private static final String CI_TOKEN = "eyJhbGciOiJSUzI1NiJ9.canary-ci-token-payload.canary-signature";

    // Structure only: profile 'elsewhere' names a provider nobody has, on purpose.
    private static final Policy POLICY = PolicyLoader.parseStructure("""
            version: 1
            profiles:
              deploy:
                provider: recording
                owner: platform-team
                tags: {env: prod}
                maxLifetime: 15m
                parameters: {target: prod}
                scope: {permissions: {contents: read}}
              elsewhere:
                provider: nowhere
                maxLifetime: 5m
            rules:
              - name: main-only
                issuer: %s
                profiles: [deploy, elsewhere]
                claims:
                  aud: sts.amazonaws.com
                  sub: "job:team/repo:branch:main"
            """.formatted(ISSUER), "test policy");

    /** Our own provider interface, recording what the exchange hands it; no service is imitated. */
    private static final class Recording implements CredentialProvider {
        static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("recording", "records requests",
                List.of(ParameterSpec.optional("target", ParameterSpec.Type.STRING, "where")),
                List.of(ParameterSpec.optional("permissions", ParameterSpec.Type.MAP, "what")),
                Duration.ofSeconds(1), p -> Duration.ofHours(1), p -> Optional.empty(), true, null, Set.of(), null);
        final List<ExchangeRequest> requests = new ArrayList<>();
        RuntimeException failure;

        @Override
        public String id() {
            return "recording";
        }

        @Override
        public ProviderDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public EphemeralCredential exchange(ExchangeRequest request) {
            requests.add(request);
            request.ciToken().get(); // as every provider does before calling its service
            if (failure != null) {
                throw failure;
            }
            return new EphemeralCredential("recording",
                    List.of(CredentialValue.secret("token", "issued-secret-value", "ISSUED_TOKEN")),
                    Map.of(), NOW.plus(request.lifetime()),
                    List.of(new Revocation("recording", "token", Map.of("token", "issued-secret-value"))), List.of());
        }

        @Override
        public void revoke(Revocation revocation) {
        }
    }

    private final Recording provider = new Recording();
    private final Exchange exchange = new Exchange(Map.of("recording", provider),
            List.of("job_full_name", "branch", "build_number"), Clock.fixed(NOW, ZoneOffset.UTC));

    /** Test providers' descriptors: {@code word-alone} issues without showing the CI token to any verifier. */
    private static final Map<String, ProviderDescriptor> DESCRIPTORS = Map.of(
            "recording", descriptor("recording", true), "nowhere", descriptor("nowhere", true),
            "word-alone", descriptor("word-alone", false));

    private static ProviderDescriptor descriptor(String id, boolean presentsCiToken) {
        return new ProviderDescriptor(id, id, List.of(), List.of(), Duration.ofMinutes(1), p -> Duration.ofHours(1),
                p -> Optional.of("aud-of-" + id), presentsCiToken, null, Set.of(), null);
    }

    private ExchangeOutcome run(String sub, String profile, Duration lifetime) {
        Plan plan = Plan.of(CredentialRequest.forProfile(profile).withLifetime(lifetime), POLICY, DESCRIPTORS);
        return exchange.run(plan, new UnverifiedClaims(claims(sub)), () -> CI_TOKEN);
    }

    private ExchangeOutcome direct(String provider, Map<String, Object> parameters, Map<String, Object> scope,
                                   Duration lifetime) {
        Plan plan = Plan.of(CredentialRequest.direct(provider, parameters, scope).withLifetime(lifetime), null, DESCRIPTORS);
        return exchange.run(plan, new UnverifiedClaims(claims("job:team/repo:branch:main")), () -> CI_TOKEN);
    }

    private static Claims claims(String sub) {
        return Claims.of(Map.of("iss", ISSUER, "sub", sub, "aud", "sts.amazonaws.com", "job_full_name", "team/repo/main",
                "branch", "main", "build_number", 7, "jti", "token-id-1", "iat", NOW.getEpochSecond(),
                "exp", NOW.plusSeconds(600).getEpochSecond()));
    }

    @Test
    void allowedRequestIsExchangedForAtMostTheProfilesLifetimeAndAudited() {
        ExchangeOutcome outcome = run("job:team/repo:branch:main", "deploy", Duration.ofHours(2));

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Issued.class);
        ExchangeRequest sent = provider.requests.get(0);
        assertThat(sent.lifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(sent.parameters()).containsEntry("target", "prod");
        assertThat(sent.owner()).as("the profile's owner travels to the provider").isEqualTo("platform-team");
        assertThat(sent.ciToken().get()).isEqualTo(CI_TOKEN);
        AuditRecord audit = outcome.audit();
        assertThat(audit.outcome()).isEqualTo(AuditRecord.Outcome.ISSUED);
        assertThat(audit.profile()).isEqualTo("deploy");
        assertThat(audit.owner()).isEqualTo("platform-team");
        assertThat(audit.tags()).containsExactly("env=prod");
        assertThat(audit.provider()).isEqualTo("recording");
        assertThat(audit.scope()).isEqualTo("scope [permissions]");
        assertThat(audit.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(audit.claims()).containsEntry("job_full_name", "team/repo/main").containsEntry("build_number", "7");
        assertThat(audit.tokenId()).isEqualTo("token-id-1");
    }

    @Test
    void aShorterRequestedLifetimeIsKept() {
        run("job:team/repo:branch:main", "deploy", Duration.ofMinutes(5));

        assertThat(provider.requests.get(0).lifetime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void deniedRequestNeverReachesTheProviderAndExplainsTheClaimThatFailed() {
        ExchangeOutcome outcome = run("job:team/repo:branch:PR-12", "deploy", null);

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Denied.class);
        assertThat(provider.requests).isEmpty();
        assertThat(outcome.decision().explain()).contains("FAIL").contains("job:team/repo:branch:PR-12");
        assertThat(outcome.audit().outcome()).isEqualTo(AuditRecord.Outcome.DENIED);
        assertThat(outcome.audit().reason()).isEqualTo("NO_MATCHING_RULE");
        assertThat(outcome.audit().expiresAt()).isNull();
    }

    @Test
    void anUnknownProfileIsRefusedWhenPlannedWithTheProfilesThereAre() {
        assertThatThrownBy(() -> run("job:team/repo:branch:main", "nope", null))
                .isInstanceOfSatisfying(ExchangeException.class, e -> assertThat(e.reason())
                        .isEqualTo(ExchangeException.Reason.UNKNOWN_PROFILE))
                .hasMessageContaining("'nope'").hasMessageContaining("deploy, elsewhere");
        assertThat(provider.requests).isEmpty();
    }

    @Test
    void aProviderThatNeverShowsTheTokenToAVerifierRefusesUnverifiedClaimsBeforeAnythingIsCalled() {
        Plan plan = Plan.of(CredentialRequest.direct("word-alone", Map.of(), Map.of()), null, DESCRIPTORS);
        Exchange withIt = new Exchange(Map.of("word-alone", provider), List.of(), Clock.fixed(NOW, ZoneOffset.UTC));
        List<String> asked = new ArrayList<>();

        assertThatThrownBy(() -> withIt.run(plan, new UnverifiedClaims(claims("job:team/repo:branch:main")), () -> {
            asked.add("token");
            return CI_TOKEN;
        })).isInstanceOfSatisfying(ExchangeException.class, e -> assertThat(e.reason())
                        .isEqualTo(ExchangeException.Reason.UNVERIFIED_CLAIMS))
                .hasMessageContaining("token-exchange service").hasMessageContaining("Jenkins");
        assertThat(provider.requests).isEmpty();
        assertThat(asked).as("the CI token is not even asked for").isEmpty();
    }

    @Test
    void theAudienceComesFromTheRequestOrElseTheProvidersDefault() {
        assertThat(Plan.of(CredentialRequest.forProfile("deploy"), POLICY, DESCRIPTORS).audience())
                .isEqualTo("aud-of-recording");
        assertThat(Plan.of(CredentialRequest.forProfile("deploy").withAudience("mine"), POLICY, DESCRIPTORS).audience())
                .isEqualTo("mine");
    }

    @Test
    void anIssuedCredentialComesWithTheCleanupRecordOfItsRevocations() {
        ExchangeOutcome.Issued issued = (ExchangeOutcome.Issued) run("job:team/repo:branch:main", "deploy", null);

        assertThat(issued.cleanup().provider()).isEqualTo("recording");
        assertThat(issued.cleanup().revocations()).containsExactlyElementsOf(issued.credential().revocations());
        assertThat(CleanupRecord.fromJson(issued.cleanup().toJson(), "test")).isEqualTo(issued.cleanup());
        assertThat(issued.audit().toString()).doesNotContain("issued-secret-value").doesNotContain(CI_TOKEN);
    }

    @Test
    void aProfileNamingAProviderThisHostLacksFailsWithTheProvidersThereAre() {
        ExchangeOutcome outcome = run("job:team/repo:branch:main", "elsewhere", null);

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Failed.class);
        ProviderException failure = ((ExchangeOutcome.Failed) outcome).failure();
        assertThat(failure.reason()).isEqualTo(ProviderException.Reason.INVALID_PARAMETERS);
        assertThat(failure.getMessage()).contains("'nowhere'").contains("[recording]");
        assertThat(outcome.audit().outcome()).isEqualTo(AuditRecord.Outcome.FAILED);
    }

    @Test
    void aProviderRefusalIsAuditedAsDeniedWithoutTheCiToken() {
        provider.failure = new ProviderException("recording", ProviderException.Reason.ACCESS_DENIED, "AccessDenied",
                "role refused token " + CI_TOKEN + "; check the role's trust policy");

        ExchangeOutcome outcome = run("job:team/repo:branch:main", "deploy", null);

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Failed.class);
        AuditRecord audit = outcome.audit();
        assertThat(audit.outcome()).isEqualTo(AuditRecord.Outcome.DENIED);
        assertThat(audit.reason()).isEqualTo("ACCESS_DENIED/AccessDenied");
        assertThat(audit.detail()).contains("check the role's trust policy").doesNotContain(CI_TOKEN);
    }

    @Test
    void anUnavailableProviderIsAuditedAsFailed() {
        provider.failure = new ProviderException("recording", ProviderException.Reason.UNAVAILABLE, null, "timed out");

        ExchangeOutcome outcome = run("job:team/repo:branch:main", "deploy", null);

        assertThat(outcome.audit().outcome()).isEqualTo(AuditRecord.Outcome.FAILED);
        assertThat(outcome.audit().reason()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void withoutAPolicyTheNamedProviderIsCalledAndAuditedTheSameWay() {
        ExchangeOutcome outcome = direct("recording",
                Map.of("target", "prod"), Map.of("permissions", "read"), Duration.ofMinutes(10));

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Issued.class);
        assertThat(outcome.decision()).isNull();
        assertThat(provider.requests.get(0).parameters()).containsEntry("target", "prod");
        assertThat(provider.requests.get(0).lifetime()).isEqualTo(Duration.ofMinutes(10));
        AuditRecord audit = outcome.audit();
        assertThat(audit.outcome()).isEqualTo(AuditRecord.Outcome.ISSUED);
        assertThat(audit.profile()).isNull();
        assertThat(audit.provider()).isEqualTo("recording");
        assertThat(audit.scope()).isEqualTo("scope [permissions]");
        assertThat(audit.tokenId()).isEqualTo("token-id-1");
        assertThat(audit.claims()).containsEntry("branch", "main");
    }

    @Test
    void withoutAPolicyARefusalIsAuditedWithoutTheCiTokenAndAnUnknownProviderIsNamed() {
        provider.failure = new ProviderException("recording", ProviderException.Reason.ACCESS_DENIED, "AccessDenied",
                "refused token " + CI_TOKEN);
        ExchangeOutcome refused = direct("recording",
                Map.of(), Map.of(), Duration.ofMinutes(10));
        ExchangeOutcome unknown = direct("nowhere",
                Map.of(), Map.of(), Duration.ofMinutes(10));

        assertThat(refused.audit().outcome()).isEqualTo(AuditRecord.Outcome.DENIED);
        assertThat(refused.audit().reason()).isEqualTo("ACCESS_DENIED/AccessDenied");
        assertThat(refused.audit().detail()).doesNotContain(CI_TOKEN);
        assertThat(((ExchangeOutcome.Failed) unknown).failure().getMessage())
                .startsWith("provider 'nowhere' is not available to this host").contains("[recording]");
    }
}
