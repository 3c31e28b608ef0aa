package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.exchange.Providers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Validation on load: every problem with file:line:column, and hostile input refused quickly. */
class PolicyLoaderTest {

    private static final String HEADER = """
            version: 1
            profiles:
              deploy: {provider: aws, maxLifetime: 15m}
            rules:
            """;

    private static List<PolicyProblem> problems(String yaml) {
        try {
            PolicyLoader.parseStructure(yaml, "policy.yaml");
        } catch (PolicyException e) {
            return e.problems();
        }
        throw new AssertionError("expected the policy to be refused:\n" + yaml);
    }

    @Test
    void anUnknownConditionIsAnErrorWithPositionAndSuggestion() {
        List<PolicyProblem> p = problems(HEADER + """
                  - name: r
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [deploy]
                    claims:
                      sub: {glob_pattern: "repo:acme/app:**"}
                """);
        assertThat(p).hasSize(1);
        assertThat(p.get(0).code()).isEqualTo(PolicyProblem.Code.UNKNOWN_KEY);
        assertThat(p.get(0).toString()).isEqualTo("policy.yaml:9:13: unknown condition 'glob_pattern' (did you mean 'glob'?)");
    }

    @Test
    void unknownKeysAnywhereAreErrorsNotIgnored() {
        List<PolicyProblem> p = problems("""
                version: 1
                profils: {}
                profiles:
                  deploy: {provider: aws, maxLifetime: 15m, maxLifetme: 1h}
                rules:
                  - name: r
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [deploy]
                    clams: {}
                """);
        assertThat(p).extracting(PolicyProblem::toString).containsExactly(
                "policy.yaml:2:1: unknown key 'profils' in the policy file (did you mean 'profiles'?)",
                "policy.yaml:4:45: unknown key 'maxLifetme' in profile 'deploy' (did you mean 'maxLifetime'?)",
                "policy.yaml:9:5: unknown key 'clams' in rule #1 (did you mean 'claims'?)");
    }

    @Test
    void everyProblemIsReportedInOnePass() {
        List<PolicyProblem> p = problems(HEADER + """
                  - name: r1
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [deploi]
                    claims:
                      aud: {equals: [1, 2]}
                      ref: {regex: "refs/(?<=heads)/main"}
                  - name: r1
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [deploy]
                """);
        assertThat(p).extracting(PolicyProblem::code).containsExactly(
                PolicyProblem.Code.UNKNOWN_PROFILE, PolicyProblem.Code.WRONG_TYPE, PolicyProblem.Code.INVALID_REGEX,
                PolicyProblem.Code.DUPLICATE_KEY);
        assertThat(p.get(0).toString()).isEqualTo("policy.yaml:7:16: rule 'r1' names unknown profile 'deploi' "
                + "(did you mean 'deploy'?); define it under 'profiles' or fix the name");
        assertThat(p.get(1).toString()).startsWith("policy.yaml:9:21: rule 'r1', claim 'aud': 'equals' takes one "
                + "value (a string, number or boolean), got a list; for any of several values use 'oneOf'");
        assertThat(p.get(2).message()).contains("regex 'refs/(?<=heads)/main' is not valid RE2 syntax");
        assertThat(p.get(3).message()).contains("duplicate rule name 'r1'");
    }

    @Test
    void duplicateProfileNamesAreRefusedWithBothPositions() {
        List<PolicyProblem> p = problems("""
                version: 1
                profiles:
                  deploy: {provider: aws, maxLifetime: 15m}
                  deploy: {provider: gcp, maxLifetime: 15m}
                rules: []
                """);
        assertThat(p).singleElement().hasToString(
                "policy.yaml:4:3: duplicate profile 'deploy' (first defined at policy.yaml:3:3); "
                        + "rename or merge one of them");
    }

    @Test
    void duplicateProfileNamesInJsonAreRefusedToo() {
        List<PolicyProblem> p = problems("""
                {"version": 1,
                 "profiles": {"deploy": {"provider": "aws", "maxLifetime": "15m"},
                              "deploy": {"provider": "gcp", "maxLifetime": "15m"}},
                 "rules": []}
                """);
        assertThat(p).singleElement().extracting(PolicyProblem::code).isEqualTo(PolicyProblem.Code.DUPLICATE_KEY);
        assertThat(p.get(0).position().line()).isEqualTo(3);
    }

    @Test
    void jsonPoliciesLoadLikeYaml() {
        Policy policy = PolicyLoader.parseStructure("""
                {"version": 1,
                 "profiles": {"deploy": {"provider": "aws", "maxLifetime": "PT15M", "sensitive": true}},
                 "rules": [{"name": "r", "issuer": "https://token.actions.githubusercontent.com",
                            "profiles": ["deploy"], "claims": {"aud": {"oneOf": ["sts.amazonaws.com"]}}}]}
                """, "policy.json");
        assertThat(policy.profile("deploy").orElseThrow().sensitive()).isTrue();
        assertThat(policy.rules()).singleElement().extracting(r -> r.position().toString()).isEqualTo("policy.json:3:12");
    }

    @Test
    void anEmptyFileIsRefusedWithAHint(@TempDir Path dir) throws IOException {
        Path empty = Files.writeString(dir.resolve("policy.yaml"), "  \n# nothing\n");
        assertThatThrownBy(() -> PolicyLoader.loadStructure(empty)).isInstanceOfSatisfying(PolicyException.class, e -> {
            assertThat(e.reason()).isEqualTo(PolicyProblem.Code.EMPTY);
            assertThat(e.getMessage()).endsWith("policy.yaml:1:1: the policy file is empty; start with 'version: 1', "
                    + "then 'profiles:' and 'rules:'");
        });
    }

    @Test
    void aMissingFileIsUnreadable(@TempDir Path dir) {
        assertThatThrownBy(() -> PolicyLoader.loadStructure(dir.resolve("nope.yaml")))
                .isInstanceOfSatisfying(PolicyException.class,
                        e -> assertThat(e.reason()).isEqualTo(PolicyProblem.Code.UNREADABLE));
    }

    @Test
    @Timeout(10)
    void aBillionLaughsIsRefusedBeforeExpansion() {
        StringBuilder bomb = new StringBuilder("version: 1\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            bomb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                bomb.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            bomb.append("]\n");
            prev = c;
        }
        bomb.append("profiles:\n  p: {provider: aws, maxLifetime: 15m, parameters: {x: *j}}\nrules: []\n");
        List<PolicyProblem> p = problems(bomb.toString());
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.code()).isEqualTo(PolicyProblem.Code.TOO_COMPLEX);
            assertThat(problem.message()).contains("billion laughs");
        });
    }

    @Test
    @Timeout(10)
    void fewAliasesWithinTheLimitStillCannotExpandWithoutBound() {
        // 4 levels x 5 aliases = 20 aliases (the limit) but each level multiplies by 40: 2.5 million values.
        StringBuilder yaml = new StringBuilder("version: 1\nx0: &x0 [" + "1,".repeat(39) + "1]\n");
        for (int level = 1; level <= 4; level++) {
            yaml.append("x").append(level).append(": &x").append(level).append(" [");
            for (int i = 0; i < 5; i++) {
                yaml.append(i == 0 ? "" : ",").append("*x").append(level - 1).append(",*x").append(level - 1)
                        .append(",*x").append(level - 1).append(",*x").append(level - 1).append(",*x").append(level - 1)
                        .append(",*x").append(level - 1).append(",*x").append(level - 1).append(",*x").append(level - 1);
            }
            yaml.append("]\n");
        }
        yaml.append("profiles:\n  p: {provider: aws, maxLifetime: 15m, parameters: {x: *x4}}\nrules: []\n");
        assertThat(problems(yaml.toString())).extracting(PolicyProblem::code).contains(PolicyProblem.Code.TOO_COMPLEX);
    }

    @Test
    @Timeout(10)
    void aSelfReferencingStructureIsRefused() {
        List<PolicyProblem> p = problems("""
                version: 1
                profiles:
                  p: {provider: aws, maxLifetime: 15m, parameters: &loop {x: *loop}}
                rules: []
                """);
        assertThat(p).extracting(PolicyProblem::code).containsAnyOf(PolicyProblem.Code.TOO_COMPLEX,
                PolicyProblem.Code.SYNTAX);
    }

    @Test
    @Timeout(10)
    void aTenMegabyteFileIsRefusedBeforeParsing(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("policy.yaml");
        byte[] line = "# padding padding padding padding padding padding padding padding padding padding\n"
                .getBytes(StandardCharsets.UTF_8);
        try (var out = Files.newOutputStream(big)) {
            out.write("version: 1\n".getBytes(StandardCharsets.UTF_8));
            for (long written = 0; written < 10L * 1024 * 1024; written += line.length) {
                out.write(line);
            }
        }
        assertThatThrownBy(() -> PolicyLoader.loadStructure(big)).isInstanceOfSatisfying(PolicyException.class, e -> {
            assertThat(e.reason()).isEqualTo(PolicyProblem.Code.TOO_LARGE);
            assertThat(e.getMessage()).contains("over the 1,048,576-byte limit");
        });
    }

    @Test
    void yamlSyntaxErrorsCarryTheirPosition() {
        List<PolicyProblem> p = problems("version: 1\nprofiles:\n  deploy: {provider: aws\nrules: []\n");
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.code()).isEqualTo(PolicyProblem.Code.SYNTAX);
            assertThat(problem.position().line()).isGreaterThanOrEqualTo(3);
            assertThat(problem.toString()).startsWith("policy.yaml:");
        });
    }

    @Test
    void nonUtf8IsRefused(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("p.yaml"), new byte[] {'v', ':', ' ', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> PolicyLoader.loadStructure(file)).isInstanceOfSatisfying(PolicyException.class,
                e -> assertThat(e.getMessage()).contains("not UTF-8"));
    }

    @Test
    void wrongTypesAreNamed() {
        List<PolicyProblem> p = problems("""
                version: 1
                profiles:
                  deploy: {provider: [aws], maxLifetime: forever, sensitive: "yes please"}
                rules:
                  - name: r
                    issuer: https://token.actions.githubusercontent.com
                    profiles: deploy
                    claims:
                      aud: [a, b]
                      sub: {oneOf: []}
                      ref: {absent: false}
                      x: {equals: ~}
                      y: {glob: a, regex: b}
                """);
        assertThat(p).extracting(PolicyProblem::toString).containsExactly(
                "policy.yaml:3:22: profile 'deploy' 'provider' must be a single value, got a list",
                "policy.yaml:3:42: maxLifetime 'forever' is not a positive duration; write e.g. 15m, 1h, 1h30m, 900s or PT15M",
                "policy.yaml:3:62: profile 'deploy' 'sensitive' must be true or false",
                "policy.yaml:7:15: rule 'r' 'profiles' (a list of profile names) must be a list, got a single value",
                "policy.yaml:9:12: rule 'r', claim 'aud': a bare list is ambiguous; for any of several values "
                        + "write {oneOf: [...]}, for several conditions that must all hold write a list of mappings "
                        + "such as [{glob: \"...\"}, {not: {equals: x}}]",
                "policy.yaml:10:20: rule 'r', claim 'sub': 'oneOf' is empty and could never match; list at least one value",
                "policy.yaml:11:21: rule 'r', claim 'ref': write 'present: true' instead of 'absent: false'",
                "policy.yaml:12:19: rule 'r', claim 'x' 'equals': a value is needed; to require a missing claim write {absent: true}",
                "policy.yaml:13:10: rule 'r', claim 'y': one condition per mapping, found [glob, regex]; to require "
                        + "several, write a list: [{glob: ...}, {regex: ...}]");
    }

    @Test
    void allowRulesMayNotNameEveryProfileAndIssuersMustBeUrls() {
        List<PolicyProblem> p = problems(HEADER + """
                  - name: r
                    issuer: token.actions.githubusercontent.com
                    profiles: ["*"]
                """);
        assertThat(p).extracting(PolicyProblem::code).containsExactly(PolicyProblem.Code.INVALID_VALUE,
                PolicyProblem.Code.INVALID_VALUE);
        assertThat(p.get(0).message()).contains("is not an https URL");
        assertThat(p.get(1).message()).contains("'*' (every profile) is allowed only in deny rules");
    }

    @Test
    void testsInTheFileAreValidatedToo() {
        List<PolicyProblem> p = problems(HEADER + """
                  - name: r
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [deploy]
                tests:
                  - name: t
                    profile: deplyo
                    claims: {sub: x}
                    expect: allowed
                """);
        assertThat(p).extracting(PolicyProblem::toString).containsExactly(
                "policy.yaml:10:14: test 't' names unknown profile 'deplyo' (did you mean 'deploy'?)",
                "policy.yaml:12:13: test 't': expect must be 'allow' or 'deny', not 'allowed'");
    }

    @Test
    void plainParametersKeepTheirTypes() {
        Policy policy = PolicyLoader.parseStructure("""
                version: 1
                profiles:
                  gh:
                    provider: github
                    maxLifetime: 1h
                    parameters: {installationId: 12345, repositories: [app, lib], nested: {ok: true, ratio: 0.5}}
                rules: []
                """, "p.yaml");
        Profile gh = policy.profile("gh").orElseThrow();
        assertThat(gh.parameters()).containsEntry("installationId", 12345L)
                .containsEntry("repositories", List.of("app", "lib"))
                .containsEntry("nested", java.util.Map.of("ok", true, "ratio", 0.5));
        assertThatThrownBy(() -> gh.parameters().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }
}
