package io.github.ephemeralcredentials.bench;

import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.policy.Decision;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Policy evaluation with 1,000 rules (200 profiles x 5 rules, three issuers, a deny rule for every profile).
 * Target: under 20 µs per decision at the median (read the p0.50 line of the SampleTime output).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyEvaluationBenchmark {

    private static final String GITHUB = "https://token.actions.githubusercontent.com";
    private static final String GHES = "https://github.example.com/_services/token";
    private static final String JENKINS = "https://jenkins.example.com/ephemeral-credentials-oidc";

    private Policy policy;
    private Claims allowedClaims;
    private Claims deniedClaims;
    private Instant now;

    @Setup
    public void setup() {
        StringBuilder yaml = new StringBuilder("version: 1\nprofiles:\n");
        for (int p = 0; p < 200; p++) {
            yaml.append("  profile-").append(p).append(": {provider: aws, maxLifetime: 15m, owner: team-")
                    .append(p % 17).append(", parameters: {role-arn: \"arn:aws:iam::123456789012:role/r")
                    .append(p).append("\"}}\n");
        }
        yaml.append("rules:\n  - {name: no-prs, effect: deny, issuer: \"").append(GITHUB)
                .append("\", profiles: [\"*\"], claims: {event_name: {oneOf: [pull_request, pull_request_target]}}}\n");
        int rules = 1;
        for (int p = 0; p < 200 && rules < 1000; p++) {
            for (int r = 0; r < 5 && rules < 1000; r++, rules++) {
                String issuer = r == 3 ? GHES : r == 4 ? JENKINS : GITHUB;
                yaml.append("  - name: rule-").append(p).append('-').append(r).append('\n')
                        .append("    issuer: ").append(issuer).append('\n')
                        .append("    profiles: [profile-").append(p).append("]\n")
                        .append("    claims:\n")
                        .append("      aud: sts.amazonaws.com\n")
                        .append("      sub: {oneOf: [\"repo:org").append(p).append("/app").append(r)
                        .append(":ref:refs/heads/main\", \"repo:org").append(p).append("/app").append(r)
                        .append(":environment:production\"]}\n")
                        .append("      ref_protected: {equals: true}\n")
                        .append("      runner_environment: github-hosted\n")
                        .append("      job_workflow_ref: {glob: \"org").append(p)
                        .append("/**/.github/workflows/*.yml@refs/heads/main\"}\n")
                        .append("      run_attempt: {regex: \"[1-3]\"}\n")
                        .append("      iat: {maxAge: 10m}\n");
            }
        }
        policy = PolicyLoader.parse(yaml.toString(), "bench.yaml", Providers.descriptors());
        if (policy.rules().size() != 1000) {
            throw new IllegalStateException("expected 1,000 rules, got " + policy.rules().size());
        }
        now = Instant.parse("2025-01-01T12:06:00Z");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", GITHUB);
        claims.put("aud", "sts.amazonaws.com");
        claims.put("sub", "repo:org150/app2:ref:refs/heads/main");
        claims.put("ref", "refs/heads/main");
        claims.put("ref_protected", "true");
        claims.put("runner_environment", "github-hosted");
        claims.put("job_workflow_ref", "org150/app2/.github/workflows/deploy.yml@refs/heads/main");
        claims.put("run_attempt", "1");
        claims.put("event_name", "push");
        claims.put("repository", "org150/app2");
        claims.put("iat", now.getEpochSecond() - 60);
        claims.put("exp", now.getEpochSecond() + 240);
        allowedClaims = Claims.of(claims);
        Map<String, Object> feature = new LinkedHashMap<>(claims);
        feature.put("sub", "repo:org150/app2:ref:refs/heads/feature");
        feature.put("ref_protected", "false");
        deniedClaims = Claims.of(feature);
        if (!allowed().allowed() || denied().allowed()) {
            throw new IllegalStateException("benchmark claims do not give the expected decisions");
        }
    }

    /** The last allow rule of the profile decides: every earlier one is tried first. */
    @Benchmark
    public Decision allowed() {
        return policy.evaluate(allowedClaims, "profile-150", now);
    }

    /** A denial, explained: every rule naming the profile evaluated in full with each condition's outcome. */
    @Benchmark
    public Decision denied() {
        return policy.evaluate(deniedClaims, "profile-150", now);
    }

    /** A denial rendered as the text a log would carry. */
    @Benchmark
    public String deniedAndExplained() {
        return policy.evaluate(deniedClaims, "profile-150", now).explain();
    }
}
