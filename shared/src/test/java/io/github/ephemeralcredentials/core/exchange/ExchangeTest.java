package io.github.ephemeralcredentials.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.oidc.Claims;
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
                Duration.ofSeconds(1), p -> Duration.ofHours(1), p -> Optional.empty(), true, null, Set.of());
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

    private static Claims claims(String sub) {
        return Claims.of(Map.of("iss", ISSUER, "sub", sub, "aud", "sts.amazonaws.com", "job_full_name", "team/repo/main",
                "branch", "main", "build_number", 7, "jti", "token-id-1", "iat", NOW.getEpochSecond(),
                "exp", NOW.plusSeconds(600).getEpochSecond()));
    }

    @Test
    void allowedRequestIsExchangedForAtMostTheProfilesLifetimeAndAudited() {
        ExchangeOutcome outcome = exchange.run(POLICY, claims("job:team/repo:branch:main"), () -> CI_TOKEN, "deploy",
                Duration.ofHours(2));

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
        exchange.run(POLICY, claims("job:team/repo:branch:main"), () -> CI_TOKEN, "deploy", Duration.ofMinutes(5));

        assertThat(provider.requests.get(0).lifetime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void deniedRequestNeverReachesTheProviderAndExplainsTheClaimThatFailed() {
        ExchangeOutcome outcome = exchange.run(POLICY, claims("job:team/repo:branch:PR-12"), () -> CI_TOKEN, "deploy", null);

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Denied.class);
        assertThat(provider.requests).isEmpty();
        assertThat(outcome.decision().explain()).contains("FAIL").contains("job:team/repo:branch:PR-12");
        assertThat(outcome.audit().outcome()).isEqualTo(AuditRecord.Outcome.DENIED);
        assertThat(outcome.audit().reason()).isEqualTo("NO_MATCHING_RULE");
        assertThat(outcome.audit().expiresAt()).isNull();
    }

    @Test
    void unknownProfileIsDeniedWithItsName() {
        ExchangeOutcome outcome = exchange.run(POLICY, claims("job:team/repo:branch:main"), () -> CI_TOKEN, "nope", null);

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Denied.class);
        assertThat(outcome.audit().reason()).isEqualTo("UNKNOWN_PROFILE");
        assertThat(outcome.decision().summary()).contains("'nope'");
    }

    @Test
    void aProfileNamingAMissingProviderFailsWithTheProvidersThereAre() {
        ExchangeOutcome outcome = exchange.run(POLICY, claims("job:team/repo:branch:main"), () -> CI_TOKEN, "elsewhere", null);

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

        ExchangeOutcome outcome = exchange.run(POLICY, claims("job:team/repo:branch:main"), () -> CI_TOKEN, "deploy", null);

        assertThat(outcome).isInstanceOf(ExchangeOutcome.Failed.class);
        AuditRecord audit = outcome.audit();
        assertThat(audit.outcome()).isEqualTo(AuditRecord.Outcome.DENIED);
        assertThat(audit.reason()).isEqualTo("ACCESS_DENIED/AccessDenied");
        assertThat(audit.detail()).contains("check the role's trust policy").doesNotContain(CI_TOKEN);
    }

    @Test
    void anUnavailableProviderIsAuditedAsFailed() {
        provider.failure = new ProviderException("recording", ProviderException.Reason.UNAVAILABLE, null, "timed out");

        ExchangeOutcome outcome = exchange.run(POLICY, claims("job:team/repo:branch:main"), () -> CI_TOKEN, "deploy", null);

        assertThat(outcome.audit().outcome()).isEqualTo(AuditRecord.Outcome.FAILED);
        assertThat(outcome.audit().reason()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void withoutAPolicyTheNamedProviderIsCalledAndAuditedTheSameWay() {
        ExchangeOutcome outcome = exchange.direct(claims("job:team/repo:branch:main"), () -> CI_TOKEN, "recording",
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
        ExchangeOutcome refused = exchange.direct(claims("job:team/repo:branch:main"), () -> CI_TOKEN, "recording",
                Map.of(), Map.of(), Duration.ofMinutes(10));
        ExchangeOutcome unknown = exchange.direct(claims("job:team/repo:branch:main"), () -> CI_TOKEN, "nowhere",
                Map.of(), Map.of(), Duration.ofMinutes(10));

        assertThat(refused.audit().outcome()).isEqualTo(AuditRecord.Outcome.DENIED);
        assertThat(refused.audit().reason()).isEqualTo("ACCESS_DENIED/AccessDenied");
        assertThat(refused.audit().detail()).doesNotContain(CI_TOKEN);
        assertThat(((ExchangeOutcome.Failed) unknown).failure().getMessage())
                .startsWith("provider 'nowhere', which this installation does not have").contains("[recording]");
    }
}
