package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.oidc.Claims;
import java.time.Instant;
import java.util.Map;

/**
 * Fuzzes the policy loader with bytes as a policy file holds them: every input ends in a {@link Policy} or a
 * {@link PolicyException} whose problems each have a position and one escaped line; anything else (another
 * exception, a stack overflow, running out of memory) is a finding. A loaded policy is then evaluated, explained,
 * tested and linted, which must not throw either.
 *
 * <p>Without {@code JAZZER_FUZZ} (a plain {@code mvn verify}) this runs the inputs under
 * {@code PolicyLoaderFuzzTestInputs/} as regression tests; the build's {@code fuzz} executions fuzz it for
 * {@code fuzz.seconds}.
 */
class PolicyLoaderFuzzTest {

    private static final Claims CLAIMS = Claims.of(Map.of("iss", "https://token.actions.githubusercontent.com",
            "sub", "repo:acme/app:ref:refs/heads/main", "aud", "sts.amazonaws.com", "iat", 1_700_000_000L,
            "ref_protected", true));

    @FuzzTest(maxDuration = "10s")
    // libFuzzer's dictionary syntax: \\x0A is a line break, \\" a quote.
    @DictionaryEntries({"version: 1\\x0A", "profiles:\\x0A", "rules:\\x0A", "tests:\\x0A", "  - name: ",
            "issuer: https://a.b\\x0A", "provider: aws", "maxLifetime: 15m", "claims:", "{equals: ", "{oneOf: [",
            "{glob: \\\"", "{regex: \\\"", "{not: ", "{maxAge: ", "absent: true", "ignoreCase: true", "&a ", "*a",
            "<<: *a", "{2,1000}", "**", "\\x0A  ", "!!binary ", "? ", "---", "\\xE2\\x80\\xAE"})
    void policyLoader(byte[] input) {
        boolean checked = input.length > 0 && (input[0] & 1) == 1;
        Policy policy;
        try {
            policy = PolicyLoader.parseBytes(input, "fuzz.yaml", checked ? Providers.descriptors() : null);
        } catch (PolicyException e) {
            assertThat(e.problems()).isNotEmpty();
            for (PolicyProblem problem : e.problems()) {
                assertThat(problem.position().line()).isPositive();
                assertThat(problem.position().column()).isPositive();
                assertThat(problem.toString()).doesNotContain("\n").doesNotContain("\r").doesNotContain("\u001b");
            }
            return;
        }
        for (String profile : policy.profiles().keySet()) {
            Decision decision = policy.evaluate(CLAIMS, profile, Instant.parse("2026-12-01T00:00:00Z"));
            assertThat(decision.explain()).doesNotContain("\u001b").doesNotContain("\r");
            decision.toJson();
        }
        policy.runTests();
        policy.lint().forEach(LintFinding::toString);
    }
}
