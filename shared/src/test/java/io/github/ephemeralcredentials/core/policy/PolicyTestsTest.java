package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The {@code tests:} a policy file carries. */
class PolicyTestsTest {

    @Test
    void failingTestsSayWhatDiffered() {
        Policy policy = PolicyLoader.parseStructure("""
                version: 1
                profiles:
                  p: {provider: aws, maxLifetime: 15m}
                rules:
                  - name: main-only
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [p]
                    claims: {aud: sts.amazonaws.com, ref: refs/heads/main}
                tests:
                  - name: main is allowed
                    profile: p
                    expect: allow
                    rule: main-only
                    claims: &base {iss: "https://token.actions.githubusercontent.com", aud: sts.amazonaws.com, ref: refs/heads/main}
                  - name: wrongly expects a feature branch to pass
                    profile: p
                    expect: allow
                    claims: {<<: *base, ref: refs/heads/feature}
                  - name: wrongly expects main to be denied
                    profile: p
                    expect: deny
                    claims: *base
                """, "p.yaml");
        PolicyTestReport report = policy.runTests();
        assertThat(report.summary()).isEqualTo("1 passed, 2 failed");
        assertThat(report.results().get(1).failure()).hasValueSatisfying(f -> assertThat(f)
                .startsWith("expected allow but the policy says deny: no rule for this profile matched"));
        assertThat(report.results().get(1).decision().explain())
                .contains("[FAIL] ref equals \"refs/heads/main\"; presented \"refs/heads/feature\"");
        assertThat(report.results().get(2).failure()).hasValueSatisfying(f -> assertThat(f)
                .isEqualTo("expected deny but the policy says allow: allowed by rule 'main-only'"));
    }

    @Test
    void aTestCanPinTheDecidingRuleAndTheEvaluationInstant() {
        Policy policy = PolicyLoader.parseStructure("""
                version: 1
                profiles:
                  p: {provider: aws, maxLifetime: 15m}
                rules:
                  - name: fresh
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [p]
                    claims: {aud: x, iat: {maxAge: 5m}}
                tests:
                  - name: stale token
                    profile: p
                    expect: deny
                    at: 2025-01-01T12:10:01Z
                    claims: {iss: "https://token.actions.githubusercontent.com", aud: x, iat: 1735733100}
                  - name: fresh token, but names the wrong rule
                    profile: p
                    expect: allow
                    rule: other
                    claims: {iss: "https://token.actions.githubusercontent.com", aud: x, iat: 1735733100}
                """, "p.yaml");
        PolicyTestReport report = policy.runTests();
        assertThat(report.results().get(0).passed()).isTrue();
        assertThat(report.results().get(1).failure()).contains("expected rule 'other' to decide, but rule 'fresh' did");
    }
}
