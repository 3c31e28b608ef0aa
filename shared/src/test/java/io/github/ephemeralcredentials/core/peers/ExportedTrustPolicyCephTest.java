package io.github.ephemeralcredentials.core.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.policy.Decision;
import io.github.ephemeralcredentials.core.policy.ExportFormat;
import io.github.ephemeralcredentials.core.policy.ExportResult;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.core.provider.aws.AwsProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS trust policy that {@code policy export --format aws} writes, installed as a role's trust policy in a real
 * STS (Ceph RadosGW): Ceph must allow exactly the tokens our engine allows. Ceph enforces {@code StringEquals} on
 * {@code ISSUER:sub} and {@code ISSUER:aud}, so the policy here conditions those; Ceph has no account ids, so the
 * export's {@code ACCOUNT_ID} placeholder becomes Ceph's empty account.
 */
@ExtendWith(CephRgwPeer.class)
class ExportedTrustPolicyCephTest {

    private static final String MAIN = "repo:acme/app:ref:refs/heads/main";

    @TempDir
    Path dir;

    @Test
    void cephEnforcesTheExportedTrustPolicyAsTheEngineDecides(CephRgwPeer.Node ceph) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, """
                version: 1
                profiles:
                  deploy:
                    provider: aws
                    maxLifetime: 15m
                    parameters:
                      role-arn: arn:aws:iam::123456789012:role/exported
                rules:
                  - name: main-only
                    issuer: %s
                    profiles: [deploy]
                    claims:
                      aud: %s
                      sub: %s
                """.formatted(ceph.issuer().issuer(), CephRgwPeer.Node.AUDIENCE, MAIN));
        Policy policy = PolicyLoader.load(file, Providers.descriptors());
        ExportResult exported = policy.export("deploy", ExportFormat.AWS, false);
        assertThat(exported.warnings()).isEmpty();
        String trust = new ObjectMapper().readTree(exported.document().replace(
                "arn:aws:iam::123456789012:oidc-provider/", "arn:aws:iam:::oidc-provider/")).toString();
        String role = ceph.roleWithTrust("exported", trust);

        for (String subject : List.of(MAIN, "repo:acme/app:ref:refs/heads/feature", "repo:acme/other:ref:refs/heads/main")) {
            String token = ceph.mint(subject);
            Claims claims = Claims.of(Map.of("iss", ceph.issuer().issuer(), "aud", CephRgwPeer.Node.AUDIENCE,
                    "sub", subject));
            Decision decision = policy.evaluate(claims, "deploy");
            ExchangeRequest request = new ExchangeRequest(() -> token, claims,
                    Map.of("role-arn", role, "endpoint", ceph.endpoint()), Map.of(), Duration.ofMinutes(15));
            ProviderException refused = catchThrowableOfType(ProviderException.class, () ->
                    new AwsProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(1), dir).exchange(request));

            assertThat(refused == null).as("Ceph allows %s exactly when the engine does (%s)", subject, decision.reason())
                    .isEqualTo(decision.allowed());
            if (refused != null) {
                assertThat(refused.reason()).isEqualTo(ProviderException.Reason.ACCESS_DENIED);
            }
        }
    }
}
