package io.github.ephemeralcredentials.core.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.core.provider.aws.AwsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The AWS provider against a real STS: Ceph RadosGW's AssumeRoleWithWebIdentity. */
@ExtendWith(CephRgwPeer.class)
class CephStsPeerTest {

    private static final String SUB = "repo:acme/app:ref:refs/heads/main";

    @TempDir
    Path dir;

    private AwsProvider provider() {
        return new AwsProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(2), dir);
    }

    private static ExchangeRequest request(CephRgwPeer.Node ceph, String role, String subject) {
        String token = ceph.mint(subject);
        Claims claims = Claims.of(Map.of("iss", ceph.issuer().issuer(), "sub", subject, "repository", "acme/app",
                "run_id", "7"));
        return new ExchangeRequest(() -> token, claims, Map.of("role-arn", role, "endpoint", ceph.endpoint()),
                Map.of(), Duration.ofMinutes(15));
    }

    @Test
    void issuesCredentialsThatWorkForS3OnTheSameGateway(CephRgwPeer.Node ceph) throws Exception {
        String role = ceph.role("ci-deploy", SUB);

        EphemeralCredential credential = provider().exchange(request(ceph, role, SUB));

        assertThat(credential.expiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(13)),
                Instant.now().plus(Duration.ofMinutes(16)));
        assertThat(credential.facts()).containsEntry("authenticated-arn", "arn:aws:sts:::assumed-role/ci-deploy/acme-app-7")
                .containsEntry("session-name", "acme-app-7");
        Map<String, String> env = credential.environment();
        String bucket = "ec-proof-" + UUID.randomUUID().toString().substring(0, 8);
        CephRgwPeer.Node.S3Answer created = ceph.s3("PUT", "/" + bucket, env.get("AWS_ACCESS_KEY_ID"),
                env.get("AWS_SECRET_ACCESS_KEY"), env.get("AWS_SESSION_TOKEN"));
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        CephRgwPeer.Node.S3Answer listed = ceph.s3("GET", "/", env.get("AWS_ACCESS_KEY_ID"),
                env.get("AWS_SECRET_ACCESS_KEY"), env.get("AWS_SESSION_TOKEN"));
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        assertThat(listed.body()).contains("<Name>" + bucket + "</Name>");

        // The same call with a wrong secret is refused: the listing above was not anonymous.
        assertThat(ceph.s3("GET", "/", env.get("AWS_ACCESS_KEY_ID"), "wrong" + env.get("AWS_SECRET_ACCESS_KEY"),
                env.get("AWS_SESSION_TOKEN")).status()).isEqualTo(403);
    }

    @Test
    void isDeniedWhenTheTrustConditionOnSubDoesNotMatch(CephRgwPeer.Node ceph) throws Exception {
        String role = ceph.role("ci-other", "repo:acme/other:ref:refs/heads/main");

        assertThatThrownBy(() -> provider().exchange(request(ceph, role, SUB)))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ProviderException.Reason.ACCESS_DENIED);
                    assertThat(e.providerCode()).isEqualTo("AccessDenied");
                })
                .hasMessageContaining("trust policy");
    }
}
