package io.github.ephemeralcredentials.core.audit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.JsonLinesAuditWriter;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.oidc.BuildFacts;
import io.github.ephemeralcredentials.core.oidc.BuildToken;
import io.github.ephemeralcredentials.core.oidc.BuildTokens;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jenkins plugin's trail ({@code $JENKINS_HOME/logs/ephemeral-credentials/audit.jsonl}) read by the inventory.
 * The plugin's own tests need the Jenkins test harness, which cannot be fetched here; this writes the records exactly
 * as its {@code AuditTrail} does through the core: an ISSUED record of a {@link BuildTokens} token's identity with the
 * plugin's claim list ({@code AuditRecord.DEFAULT_CLAIMS} plus its job claims), then the REVOKED record it builds at
 * the end of the body, both through {@link JsonLinesAuditWriter#append}.
 */
class JenkinsPluginTrailTest {

    @TempDir
    Path dir;

    @Test
    void theInventoryReadsAJenkinsControllersTrail() throws Exception {
        TokenIssuer issuer = new TokenIssuer("https://jenkins.example.test/oidc",
                () -> KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
        BuildFacts facts = new BuildFacts("https://jenkins.example.test/", "team/app/main", "team/app", "main", null,
                null, 42, "https://jenkins.example.test/job/team/job/app/job/main/42/", "scm", "team/app/main#42");
        BuildToken token = new BuildTokens(issuer).mint(facts, "sts.amazonaws.com", Duration.ofMinutes(5));
        List<String> claims = new ArrayList<>(AuditRecord.DEFAULT_CLAIMS);
        claims.addAll(List.of("job_full_name", "branch", "change_id", "change_target", "trigger"));
        Instant now = Instant.now();
        Path trail = dir.resolve("audit.jsonl");
        try (JsonLinesAuditWriter writer = JsonLinesAuditWriter.append(trail)) {
            writer.write(AuditRecord.of(now, token.claims().claims(), AuditRecord.Outcome.ISSUED, claims)
                    .profile("deploy").owner("platform").tags(List.of("env=production")).provider("aws")
                    .scope("role/deploy").expiresAt(now.plusSeconds(900)).build(), Redactor.of(token.token()));
            writer.write(AuditRecord.builder().timestamp(now.plusSeconds(60)).issuer(issuer.issuer())
                    .subject(token.claims().subject()).profile("deploy").provider("aws")
                    .expiresAt(now.plusSeconds(900)).outcome(AuditRecord.Outcome.REVOKED).build(), Redactor.none());
        }

        Inventory inventory = Inventory.read(List.of(trail));

        assertThat(inventory.problems()).isEmpty();
        assertThat(inventory.profiles()).singleElement().satisfies(p -> {
            assertThat(p.profile()).isEqualTo("deploy");
            assertThat(p.owner()).isEqualTo("platform");
            assertThat(p.issued()).isEqualTo(1);
            assertThat(p.revoked()).isEqualTo(1);
            assertThat(p.sensitive()).isTrue();
            assertThat(p.subjects()).containsExactly(token.claims().subject());
        });
        // A Jenkins token carries no ref: a sensitive profile issued to it is listed as reached from an unusual ref.
        assertThat(inventory.unusualRefs()).singleElement().satisfies(u -> assertThat(u.ref()).isNull());
    }
}
