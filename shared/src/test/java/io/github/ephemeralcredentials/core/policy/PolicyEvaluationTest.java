package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.oidc.Claims;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decisions on claims shaped like real GitHub Actions (github.com and GHES) and Jenkins-issuer tokens. */
class PolicyEvaluationTest {

    private static final Policy POLICY = Fixtures.ciPolicy();

    private static Instant shortlyAfterIssue(Claims claims) {
        return claims.issuedAt().orElseThrow().plusSeconds(60);
    }

    @ParameterizedTest(name = "{0} asking for {1} -> {2} ({3})")
    @CsvSource({
            "github-push-main,          deploy-prod,   ALLOWED,            prod-from-main-or-environment",
            "github-environment,        deploy-prod,   ALLOWED,            prod-from-main-or-environment",
            "github-immutable-ids,      deploy-prod,   ALLOWED,            prod-immutable-ids",
            "github-push-feature,       deploy-prod,   NO_MATCHING_RULE,   ",
            "github-pull-request,       deploy-prod,   DENIED_BY_RULE,     no-pull-requests-anywhere",
            "github-pull-request,       release,       DENIED_BY_RULE,     no-pull-requests-anywhere",
            "github-self-hosted,        deploy-prod,   NO_MATCHING_RULE,   ",
            "github-other-owner,        deploy-prod,   NO_MATCHING_RULE,   ",
            "github-tag,                release,       ALLOWED,            releases-from-tags",
            "github-push-main,          release,       NO_MATCHING_RULE,   ",
            "github-reusable-workflow,  shared-deploy, ALLOWED,            blessed-deploy-workflow",
            "github-push-main,          shared-deploy, NO_MATCHING_RULE,   ",
            "ghes-push-main,            infra,         ALLOWED,            ghes-terraform",
            "github-push-main,          infra,         NO_RULE_FOR_ISSUER, ",
            "jenkins-main,              ci-read,       ALLOWED,            jenkins-payments-main",
            "jenkins-pull-request,      ci-read,       NO_MATCHING_RULE,   ",
            "jenkins-manual,            ci-read,       NO_MATCHING_RULE,   ",
            "ghes-push-main,            deploy-prod,   NO_RULE_FOR_ISSUER, ",
            "github-push-main,          no-such-thing, UNKNOWN_PROFILE,    ",
    })
    void decidesOnRealTokenShapes(String claimsFile, String profile, Decision.Reason reason, String rule) {
        Claims claims = Fixtures.claims(claimsFile);
        Decision d = POLICY.evaluate(claims, profile, shortlyAfterIssue(claims));
        assertThat(d.reason()).as(d.explain()).isEqualTo(reason);
        assertThat(d.allowed()).isEqualTo(reason == Decision.Reason.ALLOWED);
        assertThat(d.decidingRule().map(RuleOutcome::rule).orElse(null)).isEqualTo(rule);
    }

    @Test
    void anAllowedDecisionCarriesTheProfileForTheProvider() {
        Claims claims = Fixtures.claims("github-push-main");
        Decision d = POLICY.evaluate(claims, "deploy-prod", shortlyAfterIssue(claims));
        Profile p = d.profile().orElseThrow();
        assertThat(p.provider()).isEqualTo("aws");
        assertThat(p.owner()).isEqualTo("platform-team");
        assertThat(p.tags()).containsEntry("env", "prod").containsEntry("cost-center", "4711");
        assertThat(p.sensitive()).isTrue();
        assertThat(p.maxLifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(p.parameters()).containsEntry("role-arn", "arn:aws:iam::123456789012:role/deploy-prod");
        @SuppressWarnings("unchecked")
        Map<String, Object> sessionPolicy = (Map<String, Object>) p.scope().get("session-policy");
        assertThat(sessionPolicy).containsEntry("Version", "2012-10-17");
        assertThat(sessionPolicy.get("Statement")).isInstanceOf(List.class);
    }

    @Test
    void aTokenOlderThanMaxAgeIsRefused() {
        Claims claims = Fixtures.claims("github-push-main");
        Instant late = claims.issuedAt().orElseThrow().plus(Duration.ofMinutes(11));
        Decision d = POLICY.evaluate(claims, "deploy-prod", late);
        assertThat(d.allowed()).isFalse();
        assertThat(d.explain()).contains("[FAIL] iat at most 10m before now");
    }

    @Test
    void aDenialExplainsEveryRuleNamingTheProfileWithExpectedAndPresentedValues() {
        Claims claims = Fixtures.claims("github-push-feature");
        Decision d = POLICY.evaluate(claims, "deploy-prod", shortlyAfterIssue(claims));
        assertThat(d.rules()).extracting(RuleOutcome::rule)
                .containsExactly("no-pull-requests-anywhere", "prod-from-main-or-environment", "prod-immutable-ids");
        String text = d.explain();
        assertThat(text).startsWith("DENIED: profile 'deploy-prod'")
                .contains("rule 'prod-from-main-or-environment' (allow) at ")
                .contains("ci-policy.yaml:")
                .contains("[FAIL] sub one of [\"repo:acme/app:ref:refs/heads/main\", "
                        + "\"repo:acme/app:environment:production\"]; presented \"repo:acme/app:ref:refs/heads/feature/login\"")
                .contains("[FAIL] ref_protected equals \"true\"; presented \"false\"")
                .contains("[ok] aud equals \"sts.amazonaws.com\"; presented \"sts.amazonaws.com\"")
                .contains("[FAIL] sub glob \"repo:acme@65/app@74:ref:refs/heads/main\"");
    }

    @Test
    void theJsonRenderingCarriesEveryConditionOutcome() throws Exception {
        Claims claims = Fixtures.claims("jenkins-pull-request");
        Decision d = POLICY.evaluate(claims, "ci-read", shortlyAfterIssue(claims));
        JsonNode json = new ObjectMapper().readTree(d.toJson());
        assertThat(json.get("allowed").asBoolean()).isFalse();
        assertThat(json.get("reason").asText()).isEqualTo("NO_MATCHING_RULE");
        assertThat(json.get("profileDetails").get("owner").asText()).isEqualTo("payments");
        JsonNode changeId = null;
        for (JsonNode rule : json.get("rules")) {
            for (JsonNode c : rule.get("conditions")) {
                if (rule.get("rule").asText().equals("jenkins-payments-main")
                        && c.get("claim").asText().equals("change_id")) {
                    changeId = c;
                }
            }
        }
        assertThat(changeId).isNotNull();
        assertThat(changeId.get("holds").asBoolean()).isFalse();
        assertThat(changeId.get("expected").asText()).isEqualTo("absent");
        assertThat(changeId.get("presented").asText()).isEqualTo("\"17\"");
        assertThat(changeId.get("position").asText()).matches(".*ci-policy.yaml:\\d+:\\d+");
    }

    @Test
    void anExplicitDenyWinsOverAMatchingAllow() {
        Policy p = PolicyLoader.parseStructure("""
                version: 1
                profiles:
                  p: {provider: aws, maxLifetime: 15m}
                rules:
                  - name: allow-acme
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [p]
                    claims: {aud: sts.amazonaws.com, repository_owner: acme}
                  - name: but-never-self-hosted
                    effect: deny
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [p]
                    claims: {runner_environment: self-hosted}
                """, "inline.yaml");
        Claims selfHosted = Fixtures.claims("github-self-hosted");
        Decision d = p.evaluate(selfHosted, "p", shortlyAfterIssue(selfHosted));
        assertThat(d.reason()).isEqualTo(Decision.Reason.DENIED_BY_RULE);
        assertThat(d.decidingRule().orElseThrow().rule()).isEqualTo("but-never-self-hosted");
        assertThat(d.rules()).extracting(RuleOutcome::rule, RuleOutcome::matched)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("allow-acme", true),
                        org.assertj.core.groups.Tuple.tuple("but-never-self-hosted", true));
        Claims hosted = Fixtures.claims("github-push-main");
        assertThat(p.evaluate(hosted, "p", shortlyAfterIssue(hosted)).allowed()).isTrue();
    }

    @Test
    void aTokenWithoutIssuerIsDeniedNotCrashed() {
        Decision d = POLICY.evaluate(Claims.of(Map.of("sub", "x")), "deploy-prod");
        assertThat(d.reason()).isEqualTo(Decision.Reason.NO_RULE_FOR_ISSUER);
        assertThat(d.explain()).contains("presented (missing)");
    }
}
