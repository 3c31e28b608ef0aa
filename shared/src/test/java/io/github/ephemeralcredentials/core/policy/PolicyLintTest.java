package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyLintTest {

    private static final String GITHUB = "https://token.actions.githubusercontent.com";

    /** A sensitive profile and one allow rule with the given claims block (YAML flow mapping). */
    private static List<LintFinding> lint(String claims) {
        return lint(claims, GITHUB, "");
    }

    private static List<LintFinding> lint(String claims, String issuer, String extraRules) {
        return PolicyLoader.parseStructure("""
                version: 1
                profiles:
                  prod: {provider: aws, maxLifetime: 15m, sensitive: true}
                rules:
                  - name: r
                    issuer: %s
                    profiles: [prod]
                    claims: %s
                %s""".formatted(issuer, claims, extraRules), "p.yaml").lint();
    }

    private static List<LintFinding.Code> codes(List<LintFinding> findings) {
        return findings.stream().map(LintFinding::code).toList();
    }

    private static final String SAFE = "{aud: sts.amazonaws.com, sub: \"repo:acme/app:ref:refs/heads/main\", "
            + "ref_protected: {equals: true}, runner_environment: github-hosted, event_name: push}";

    @Test
    void aTightRuleHasNoFindings() {
        assertThat(lint(SAFE)).isEmpty();
    }

    @Test
    void aSubGlobOverAWholeOwnerIsFlaggedNamingTheOwner() {
        List<LintFinding> f = lint(SAFE.replace("\"repo:acme/app:ref:refs/heads/main\"", "{glob: \"repo:acme/*:**\"}"));
        assertThat(codes(f)).containsExactly(LintFinding.Code.OWNER_WIDE_SUBJECT);
        assertThat(f.get(0).rule()).isEqualTo("r");
        assertThat(f.get(0).position()).hasToString("p.yaml:5:5");
        assertThat(f.get(0).risk()).contains("every repository of 'acme'");
        assertThat(f.get(0).fix()).contains("repo:acme/app");
    }

    @Test
    void ownerOnlyBindingsAreOwnerWide() {
        assertThat(codes(lint("{aud: x, repository_owner: acme, ref_protected: {equals: true}, "
                + "runner_environment: github-hosted, event_name: push}")))
                .containsExactly(LintFinding.Code.OWNER_WIDE_SUBJECT);
        assertThat(codes(lint("{aud: x, repository: {glob: \"acme/*\"}, ref_protected: {equals: true}, "
                + "runner_environment: github-hosted, event_name: push}")))
                .containsExactly(LintFinding.Code.OWNER_WIDE_SUBJECT);
        assertThat(codes(lint(SAFE.replace("\"repo:acme/app:ref:refs/heads/main\"",
                "{glob: \"repo:acme@65/*:**\"}")))).containsExactly(LintFinding.Code.OWNER_WIDE_SUBJECT);
    }

    @Test
    void noRepositoryBindingOrAnOwnerWildcardAcceptsEveryOwner() {
        assertThat(codes(lint("{aud: x, ref_protected: {equals: true}, runner_environment: github-hosted, "
                + "event_name: push}"))).containsExactly(LintFinding.Code.ANY_OWNER_SUBJECT);
        assertThat(codes(lint(SAFE.replace("\"repo:acme/app:ref:refs/heads/main\"",
                "{glob: \"repo:*/app:ref:refs/heads/main\"}")))).containsExactly(LintFinding.Code.ANY_OWNER_SUBJECT);
        assertThat(codes(lint(SAFE.replace("\"repo:acme/app:ref:refs/heads/main\"",
                "{regex: \"repo:.*\"}")))).containsExactly(LintFinding.Code.ANY_OWNER_SUBJECT);
    }

    @Test
    void aSensitiveProfileReachableFromPullRequestsIsFlaggedUnlessADenyRuleCoversThem() {
        String open = "{aud: sts.amazonaws.com, sub: {glob: \"repo:acme/app:**\"}, ref_protected: {equals: true}, "
                + "runner_environment: github-hosted}";
        List<LintFinding> f = lint(open);
        assertThat(codes(f)).containsExactly(LintFinding.Code.SENSITIVE_FROM_PULL_REQUEST);
        assertThat(f.get(0).risk()).contains("sensitive profile 'prod'").contains("pull_request");
        assertThat(f.get(0).fix()).contains("event_name");
        assertThat(lint(open, GITHUB, """
                  - name: no-prs
                    effect: deny
                    issuer: %s
                    profiles: ["*"]
                    claims: {event_name: {oneOf: [pull_request, pull_request_target]}}
                """.formatted(GITHUB))).isEmpty();
    }

    @Test
    void anEnvironmentBoundSubIsStillReachableFromAPullRequestJobUsingThatEnvironment() {
        assertThat(codes(lint("{aud: sts.amazonaws.com, sub: \"repo:acme/app:environment:prod\", "
                + "runner_environment: github-hosted, ref_protected: {equals: true}}")))
                .containsExactly(LintFinding.Code.SENSITIVE_FROM_PULL_REQUEST);
    }

    @Test
    void selfHostedRunnersAndUnprotectedRefsAreFlaggedForSensitiveProfiles() {
        assertThat(codes(lint(SAFE.replace("runner_environment: github-hosted, ", ""))))
                .containsExactly(LintFinding.Code.SENSITIVE_FROM_SELF_HOSTED);
        assertThat(codes(lint(SAFE.replace("ref_protected: {equals: true}, ", ""))))
                .containsExactly(LintFinding.Code.SENSITIVE_FROM_UNPROTECTED_REF);
    }

    @Test
    void nonSensitiveProfilesAreNotHeldToTheSensitiveRules() {
        List<LintFinding> f = PolicyLoader.parseStructure("""
                version: 1
                profiles:
                  ci: {provider: aws, maxLifetime: 15m}
                rules:
                  - name: r
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [ci]
                    claims: {aud: sts.amazonaws.com, sub: {glob: "repo:acme/app:**"}}
                """, "p.yaml").lint();
        assertThat(f).isEmpty();
    }

    @Test
    void aRuleWithoutAudienceOrWithAWildcardAudienceIsFlagged() {
        assertThat(codes(lint(SAFE.replace("aud: sts.amazonaws.com, ", ""))))
                .containsExactly(LintFinding.Code.NO_AUDIENCE);
        List<LintFinding> f = lint(SAFE.replace("aud: sts.amazonaws.com", "aud: {glob: \"**\"}"));
        assertThat(codes(f)).containsExactly(LintFinding.Code.NO_AUDIENCE);
        assertThat(f.get(0).toString()).startsWith("p.yaml:5:5: warning NO_AUDIENCE in rule 'r': ")
                .contains(". Fix: add 'aud:");
    }

    @Test
    void aNonHttpsIssuerIsFlagged() {
        List<LintFinding> f = lint("{aud: x, sub: \"job:payments/api/main\"}",
                "http://jenkins.internal:8080/ephemeral-credentials-oidc", "");
        assertThat(codes(f)).contains(LintFinding.Code.INSECURE_ISSUER);
    }

    @Test
    void jenkinsPullRequestBuildsAreFlaggedForSensitiveProfiles() {
        String jenkins = "https://jenkins.example.com/ephemeral-credentials-oidc";
        assertThat(codes(lint("{aud: vault, job_full_name: {glob: \"payments/api/*\"}}", jenkins, "")))
                .containsExactly(LintFinding.Code.SENSITIVE_FROM_PULL_REQUEST);
        assertThat(lint("{aud: vault, job_full_name: {glob: \"payments/api/*\"}, change_id: {absent: true}}",
                jenkins, "")).isEmpty();
        assertThat(lint("{aud: vault, job_full_name: payments/api/main}", jenkins, "")).isEmpty();
    }
}
