package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuildFactsTest {

    private static final String JENKINS = "https://ci.example.com/";

    private static BuildFacts plainJob() {
        return new BuildFacts(JENKINS, "team/deploy", null, null, null, null, 42,
                JENKINS + "job/team/job/deploy/42/", "user", "team/deploy#42");
    }

    private static BuildFacts pullRequest() {
        return new BuildFacts(JENKINS, "team/repo/PR-12", "team/repo", "PR-12", "12", "main", 3,
                JENKINS + "job/team/job/repo/job/PR-12/3/", "branch-event", "team/repo/PR-12#3");
    }

    @Test
    void subjectOfAPlainJobIsItsFullName() {
        assertThat(plainJob().subject()).isEqualTo("job:team/deploy");
    }

    @Test
    void subjectOfAMultibranchBuildNamesProjectAndBranchNotTheEncodedJobName() {
        BuildFacts branch = new BuildFacts(JENKINS, "team/repo/feature%2Fx", "team/repo", "feature/x", null, null, 1,
                JENKINS + "job/team/job/repo/job/feature%252Fx/1/", "scm", "team/repo/feature%2Fx#1");

        assertThat(branch.subject()).isEqualTo("job:team/repo:branch:feature/x");
        assertThat(pullRequest().subject()).isEqualTo("job:team/repo:branch:PR-12");
    }

    @Test
    void claimsOfAPlainJobLeaveOutBranchAndChange() {
        assertThat(plainJob().claims())
                .containsEntry("jenkins_url", JENKINS)
                .containsEntry("job_full_name", "team/deploy")
                .containsEntry("build_number", 42L)
                .containsEntry("build_url", JENKINS + "job/team/job/deploy/42/")
                .containsEntry("run_id", "team/deploy#42")
                .containsEntry("trigger", "user")
                .doesNotContainKeys("branch", "change_id", "change_target", "sub", "aud");
    }

    @Test
    void claimsOfAPullRequestCarryItsIdAndTarget() {
        assertThat(pullRequest().claims())
                .containsEntry("branch", "PR-12")
                .containsEntry("change_id", "12")
                .containsEntry("change_target", "main");
    }

    @Test
    void inconsistentFactsAreRefusedWithWhatIsMissing() {
        assertThatThrownBy(() -> new BuildFacts(" ", "a", null, null, null, null, 1, "u", "user", "a#1"))
                .hasMessageContaining("ciUrl is missing").hasMessageContaining("Jenkins URL");
        assertThatThrownBy(() -> new BuildFacts(JENKINS, "a/b", "a", null, null, null, 1, "u", "user", "a#1"))
                .hasMessageContaining("both its project and its branch");
        assertThatThrownBy(() -> new BuildFacts(JENKINS, "a/b", "a", "b", "12", null, 1, "u", "user", "a#1"))
                .hasMessageContaining("both its id and its target");
        assertThatThrownBy(() -> new BuildFacts(JENKINS, "a", null, null, "12", "main", 1, "u", "user", "a#1"))
                .hasMessageContaining("multibranch");
        assertThatThrownBy(() -> new BuildFacts(JENKINS, "a", null, null, null, null, 0, "u", "user", "a#0"))
                .hasMessageContaining("build number");
    }

    @Test
    void aReplayDecidesTheTriggerWhereverItIsListed() {
        assertThat(BuildFacts.trigger(List.of("hudson.model.Cause$UserIdCause",
                "org.jenkinsci.plugins.workflow.cps.replay.ReplayCause"))).isEqualTo("replay");
    }

    @Test
    void otherwiseTheFirstCauseNamesTheTrigger() {
        assertThat(BuildFacts.trigger(List.of("hudson.triggers.TimerTrigger$TimerTriggerCause",
                "hudson.model.Cause$UserIdCause"))).isEqualTo("timer");
        assertThat(BuildFacts.trigger(List.of("com.example.CustomCause"))).isEqualTo("CustomCause");
        assertThat(BuildFacts.trigger(List.of("com.example.Outer$InnerCause"))).isEqualTo("InnerCause");
        assertThat(BuildFacts.trigger(List.of())).isEqualTo("unknown");
    }

    @Test
    void mintedTokenCarriesTheFactsAndOneAudienceAndVerifiesWithThePublishedKey() throws Exception {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        KeyRing ring = KeyRing.generate(SigningAlgorithm.RS256, now);
        TokenIssuer issuer = new TokenIssuer("https://ci.example.com/ephemeral-credentials-oidc", () -> ring,
                Clock.fixed(now, ZoneOffset.UTC));

        BuildToken minted = new BuildTokens(issuer).mint(pullRequest(), "sts.amazonaws.com", Duration.ofMinutes(5));

        SignedJWT jwt = SignedJWT.parse(minted.token());
        RSAKey published = (RSAKey) ring.publicJwks(now).getKeys().get(0);
        assertThat(jwt.verify(new RSASSAVerifier(published))).isTrue();
        assertThat(minted.claims().subject()).isEqualTo("job:team/repo:branch:PR-12");
        assertThat(minted.claims().audience()).containsExactly("sts.amazonaws.com");
        assertThat(minted.claims().string("build_number")).contains("3");
        assertThat(minted.claims().string("change_target")).contains("main");
        assertThat(minted.claims().expiresAt()).contains(now.plus(Duration.ofMinutes(5)));
        assertThat(minted.toString()).doesNotContain(minted.token()).contains("****");
    }

    @Test
    void aBlankAudienceIsRefusedByTheIssuer() {
        Instant now = Instant.now();
        KeyRing ring = KeyRing.generate(SigningAlgorithm.ES256, now);
        BuildTokens tokens = new BuildTokens(new TokenIssuer("https://ci.example.com/x", () -> ring, Clock.systemUTC()));

        assertThatThrownBy(() -> tokens.mint(plainJob(), null, Duration.ofMinutes(5)))
                .isInstanceOf(OidcException.class).hasMessageContaining("audience");
    }
}
