package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.exchange.Providers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every profile is checked against its provider's descriptor when the file is loaded, each problem at its place. */
class PolicyValidationTest {

    private static final String RULES = """
            rules:
              - {name: r, issuer: "https://token.actions.githubusercontent.com", profiles: [p], claims: {sub: x}}
            """;

    private static List<String> problems(String profiles) {
        try {
            PolicyLoader.parse("version: 1\nprofiles:\n" + profiles + RULES, "p.yaml", Providers.descriptors());
            return List.of();
        } catch (PolicyException e) {
            return e.problems().stream().map(pr -> pr + " [" + pr.code() + "]").toList();
        }
    }

    @Test
    void aMisspeltProviderIsNamedWithTheClosestOneAndTheList() {
        assertThat(problems("""
                  p:
                    provider: asw
                    maxLifetime: 15m
                """)).containsExactly("p.yaml:4:15: profile 'p': unknown provider 'asw' (did you mean 'aws'?); use "
                + "one of aws, azure, broker, gcp, github-app, jwt, jwt-bearer, token-exchange, vault [UNKNOWN_PROVIDER]");
    }

    @Test
    void aMisspeltParameterPointsAtItsKeyWithTheClosestName() {
        assertThat(problems("""
                  p:
                    provider: aws
                    maxLifetime: 15m
                    parameters:
                      role-arnn: arn:aws:iam::123456789012:role/x
                """)).containsExactly(
                "p.yaml:7:7: profile 'p': unknown parameter 'role-arnn' (did you mean 'role-arn'?); the aws provider "
                        + "takes chain-role-arn, credentials-file, credentials-profile, endpoint, region, role-arn, "
                        + "session-name, session-name-prefix, web-identity-token-file [UNKNOWN_PARAMETER]",
                "p.yaml:6:5: profile 'p': missing parameter 'role-arn', which the aws provider requires: the IAM "
                        + "role to assume, e.g. arn:aws:iam::123456789012:role/deploy [MISSING_KEY]");
    }

    @Test
    void valuesOfTheWrongShapePointAtTheValue() {
        assertThat(problems("""
                  p:
                    provider: aws
                    maxLifetime: 15m
                    parameters:
                      role-arn: [arn:aws:iam::123456789012:role/x]
                      region: {name: eu-west-1}
                    scope:
                      policy-arns: {a: b}
                      session-policy: 42
                """)).containsExactly(
                "p.yaml:7:17: profile 'p': parameter 'role-arn' is a list; write a single value (the IAM role to "
                        + "assume, e.g. arn:aws:iam::123456789012:role/deploy) [WRONG_TYPE]",
                "p.yaml:8:15: profile 'p': parameter 'region' is a map; write a single value (the STS region (e.g. "
                        + "eu-west-1), exported as AWS_REGION; the global endpoint without it) [WRONG_TYPE]",
                "p.yaml:10:20: profile 'p': scope entry 'policy-arns' is a map; write a list of strings (or one "
                        + "string) (managed policy ARNs narrowing the session (at most 10)) [WRONG_TYPE]",
                "p.yaml:11:23: profile 'p': scope entry 'session-policy' is a number (42); write a map, or JSON text "
                        + "(an IAM policy document narrowing the session, as a map or JSON text) [WRONG_TYPE]");
    }

    @Test
    void aLifetimeOverWhatTheProviderIssuesForItsParametersPointsAtMaxLifetime() {
        assertThat(problems("""
                  p:
                    provider: aws
                    maxLifetime: 13h
                    parameters: {role-arn: "arn:aws:iam::123456789012:role/x"}
                """)).containsExactly("p.yaml:5:18: profile 'p': maxLifetime: the lifetime 13h is over the 12h the "
                + "aws provider issues; lower it to 12h or less [INVALID_VALUE]");
        assertThat(problems("""
                  p:
                    provider: aws
                    maxLifetime: 2h
                    parameters:
                      role-arn: arn:aws:iam::123456789012:role/x
                      chain-role-arn: arn:aws:iam::123456789012:role/y
                """)).containsExactly("p.yaml:5:18: profile 'p': maxLifetime: the lifetime 2h is over the 1h the "
                + "aws provider issues with these parameters; lower it to 1h or less [INVALID_VALUE]");
        assertThat(problems("""
                  p:
                    provider: aws
                    maxLifetime: 10m
                    parameters: {role-arn: "arn:aws:iam::123456789012:role/x"}
                """)).containsExactly("p.yaml:5:18: profile 'p': maxLifetime: the lifetime 10m is under the 15m the "
                + "aws provider issues at least; raise it to 15m or more [INVALID_VALUE]");
    }

    @Test
    void everyProblemOfEveryProfileIsReportedTogetherWithTheFilesOtherProblems() {
        assertThatThrownBy(() -> PolicyLoader.parse("""
                version: 1
                profiles:
                  a: {provider: asw, maxLifetime: 15m}
                  b: {provider: vault, maxLifetime: 15m, parameters: {adress: "https://v", role: ci}}
                  c: {provider: gcp, maxLifetime: 1h, parameters: {workload-identity-provider: w}, scope: {scope: x}}
                rules:
                  - {name: r, issuer: "https://ci.example.com", profiles: [a, b, c, d], claims: {sub: x}}
                """, "p.yaml", Providers.descriptors())).isInstanceOfSatisfying(PolicyException.class, e ->
                assertThat(e.problems()).extracting(p -> p.position() + " " + p.code()).containsExactly(
                        "p.yaml:3:17 UNKNOWN_PROVIDER",
                        "p.yaml:4:55 UNKNOWN_PARAMETER",
                        "p.yaml:4:42 MISSING_KEY",
                        "p.yaml:5:92 UNKNOWN_PARAMETER",
                        "p.yaml:7:69 UNKNOWN_PROFILE"));
    }

    @Test
    void theExamplePolicyAndAWellFormedProfileOfEachKindAreValid() {
        assertThat(PolicyLoader.load(Path.of("..", "examples", "policy.yaml"), Providers.descriptors())
                .profiles()).containsKey("deploy-prod");
        assertThat(problems("""
                  p:
                    provider: github-app
                    maxLifetime: 1h
                    parameters: {app-id: 123456, private-key-env: KEY, owner: acme}
                    scope: {repositories: app, permissions: {contents: read, issues: write}}
                """)).isEmpty();
    }

    @Test
    void theStructureOnlyReaderLeavesProvidersToTheCaller() {
        assertThat(PolicyLoader.parseStructure("version: 1\nprofiles:\n  p: {provider: asw, maxLifetime: 15m}\n"
                + RULES, "p.yaml").profile("p")).isPresent();
    }
}
