package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code policy} commands, run through {@link Main#run} as a user would. */
class PolicyCommandTest {

    private static final Path EXAMPLE = Path.of("..", "examples", "policy.yaml");

    @TempDir
    Path dir;

    private static final String POLICY = """
            version: 1
            profiles:
              deploy-prod: {provider: aws, maxLifetime: 15m, owner: platform, sensitive: true,
                            parameters: {role-arn: "arn:aws:iam::123456789012:role/deploy"}}
            rules:
              - name: main
                issuer: https://token.actions.githubusercontent.com
                profiles: [deploy-prod]
                claims:
                  aud: sts.amazonaws.com
                  sub: repo:acme/app:ref:refs/heads/main
                  ref_protected: {equals: true}
                  runner_environment: github-hosted
                  event_name: push
            tests:
              - name: main deploys
                profile: deploy-prod
                expect: allow
                claims: {iss: "https://token.actions.githubusercontent.com", aud: sts.amazonaws.com,
                         sub: "repo:acme/app:ref:refs/heads/main", ref_protected: "true",
                         runner_environment: github-hosted, event_name: push}
            """;

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void validateAcceptsAGoodFile() throws IOException {
        CliRun run = CliRun.of("policy", "validate", write("policy.yaml", POLICY).toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("policy.yaml: valid (1 profiles, 1 rules, 1 tests)");
    }

    @Test
    void validatePrintsEveryErrorWithItsPositionAndExits3() throws IOException {
        Path file = write("bad.yaml", POLICY.replace("aud: sts.amazonaws.com\n", "aud: {glob_pattern: x}\n")
                .replace("profiles: [deploy-prod]", "profiles: [deploy-prd]"));
        CliRun run = CliRun.of("policy", "validate", file.toString());
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains(file + ":8:16: rule 'main' names unknown profile 'deploy-prd' "
                        + "(did you mean 'deploy-prod'?)")
                .contains(file + ":10:13: unknown condition 'glob_pattern' (did you mean 'glob'?) [UNKNOWN_KEY]")
                .contains(file + ": 2 errors")
                .doesNotContain("Exception");
    }

    @Test
    void validateAndLintRefuseAMisspeltProviderAtItsPositionWithTheClosestOne() throws IOException {
        Path file = write("asw.yaml", POLICY.replace("{provider: aws,", "{provider: asw,"));
        for (String command : new String[] {"validate", "lint"}) {
            CliRun run = CliRun.of("policy", command, file.toString());
            assertThat(run.exitCode()).as(command).isEqualTo(3);
            assertThat(run.err()).as(command).contains(file + ":3:27: profile 'deploy-prod': unknown provider 'asw' "
                    + "(did you mean 'aws'?); use one of aws, azure, broker, gcp, github-app, jwt, jwt-bearer, "
                    + "token-exchange, vault [UNKNOWN_PROVIDER]").contains(file + ": 1 error").doesNotContain("Exception");
        }
    }

    @Test
    void validateAndLintRefuseAMisspeltParameterAtItsKeyWithTheClosestOne() throws IOException {
        Path file = write("arnn.yaml", POLICY.replace("parameters: {role-arn:", "parameters: {role-arnn:"));
        for (String command : new String[] {"validate", "lint"}) {
            CliRun run = CliRun.of("policy", command, file.toString());
            assertThat(run.exitCode()).as(command).isEqualTo(3);
            assertThat(run.err()).as(command)
                    .contains(file + ":4:30: profile 'deploy-prod': unknown parameter 'role-arnn' (did you mean "
                            + "'role-arn'?)")
                    .contains(file + ":4:17: profile 'deploy-prod': missing parameter 'role-arn'")
                    .contains(file + ": 2 errors");
        }
    }

    @Test
    void validateShowsLintFindingsAsWarningsAndStrictMakesThemErrors() throws IOException {
        Path file = write("policy.yaml", POLICY.replace("      aud: sts.amazonaws.com\n", ""));
        CliRun lenient = CliRun.of("policy", "validate", file.toString());
        assertThat(lenient.exitCode()).isZero();
        assertThat(lenient.err()).contains("warning NO_AUDIENCE in rule 'main'");
        CliRun strict = CliRun.of("policy", "validate", "--strict", file.toString());
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.err()).contains("error NO_AUDIENCE in rule 'main'");
    }

    @Test
    void explainWithClaimsPrintsTheDecisionAndExitsByVerdict() throws IOException {
        Path policy = write("policy.yaml", POLICY);
        Path pr = write("pr.json", """
                {"iss": "https://token.actions.githubusercontent.com", "aud": "sts.amazonaws.com",
                 "sub": "repo:acme/app:pull_request", "ref_protected": "false",
                 "runner_environment": "github-hosted", "event_name": "pull_request"}
                """);
        CliRun denied = CliRun.of("policy", "explain", policy.toString(), "--claims", pr.toString(),
                "--profile", "deploy-prod");
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.out()).startsWith("DENIED: profile 'deploy-prod'")
                .contains("[FAIL] sub equals \"repo:acme/app:ref:refs/heads/main\"; presented \"repo:acme/app:pull_request\"")
                .contains("[FAIL] event_name equals \"push\"; presented \"pull_request\"");

        CliRun json = CliRun.of("policy", "explain", policy.toString(), "--claims", pr.toString(),
                "--profile", "deploy-prod", "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(json.out()).startsWith("{\"allowed\":false,\"reason\":\"NO_MATCHING_RULE\"");
    }

    @Test
    void explainWithATokenDecodesItWithoutVerificationAndSaysSo() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                .issuer("https://token.actions.githubusercontent.com").audience("sts.amazonaws.com")
                .subject("repo:acme/app:ref:refs/heads/main").claim("ref_protected", "true")
                .claim("runner_environment", "github-hosted").claim("event_name", "push")
                .issueTime(new Date()).build());
        jwt.sign(new RSASSASigner(key));
        String token = jwt.serialize();
        CliRun run = CliRun.of("policy", "explain", write("policy.yaml", POLICY).toString(), "--token", token,
                "--profile", "deploy-prod");
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("ALLOWED: profile 'deploy-prod'");
        assertThat(run.err()).contains("WITHOUT checking its signature");
        assertThat(run.out() + run.err()).doesNotContain(token);
    }

    @Test
    void aMalformedTokenIsRefusedWithoutEchoingIt() throws IOException {
        String notAJwt = "canary-secret-8f2d1c";
        CliRun run = CliRun.of("policy", "explain", write("policy.yaml", POLICY).toString(), "--token", notAJwt,
                "--profile", "deploy-prod");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("--token is not a JWT");
        assertThat(run.out() + run.err()).doesNotContain(notAJwt);
    }

    @Test
    void explainNeedsExactlyOneClaimSource() throws IOException {
        CliRun run = CliRun.of("policy", "explain", write("policy.yaml", POLICY).toString(), "--profile", "x");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required argument");
    }

    @Test
    void testRunsTheFilesTestsAndPrintsTheTally() throws IOException {
        CliRun pass = CliRun.of("policy", "test", write("policy.yaml", POLICY).toString());
        assertThat(pass.exitCode()).isZero();
        assertThat(pass.out()).contains("PASS main deploys").containsPattern("(?m)^1 passed, 0 failed$");

        Path failing = write("failing.yaml", POLICY.replace("expect: allow", "expect: deny"));
        CliRun fail = CliRun.of("policy", "test", failing.toString());
        assertThat(fail.exitCode()).isEqualTo(1);
        assertThat(fail.out()).contains("FAIL main deploys (" + failing + ":16:5): expected deny but the policy says allow")
                .containsPattern("(?m)^0 passed, 1 failed$");
    }

    @Test
    void theShippedExamplePassesItsOwnTests() {
        CliRun run = CliRun.of("policy", "test", EXAMPLE.toString());
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).containsPattern("(?m)^\\d+ passed, 0 failed$");
    }

    @Test
    void lintNamesTheRuleTheRiskAndTheFix() throws IOException {
        Path file = write("policy.yaml", POLICY.replace("sub: repo:acme/app:ref:refs/heads/main",
                "sub: {glob: \"repo:acme/*:**\"}"));
        CliRun run = CliRun.of("policy", "lint", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("OWNER_WIDE_SUBJECT in rule 'main'").contains("Fix:");
        assertThat(CliRun.of("policy", "lint", "--strict", file.toString()).exitCode()).isEqualTo(1);
        assertThat(CliRun.of("policy", "lint", "--strict", write("ok.yaml", POLICY).toString()).exitCode()).isZero();
    }

    @Test
    void helpDocumentsExitCodes() {
        for (String command : new String[] {"validate", "explain", "test", "lint", "export"}) {
            CliRun run = CliRun.of("policy", command, "--help");
            assertThat(run.exitCode()).isZero();
            assertThat(run.out()).as(command).contains("Exit codes:").contains("  3  ");
        }
    }

    @Test
    void exportPrintsTheTrustPolicyOrNamesWhatCannotBeExpressed() throws IOException {
        Path file = write("policy.yaml", POLICY);
        CliRun refused = CliRun.of("policy", "export", file.toString(), "--profile", "deploy-prod", "--format", "aws");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("IAM does not evaluate the claim 'ref_protected'");
        CliRun aws = CliRun.of("policy", "export", file.toString(), "--profile", "deploy-prod", "--format", "aws",
                "--lossy");
        assertThat(aws.exitCode()).as(aws.err()).isZero();
        assertThat(aws.err()).contains("warning: an AWS IAM trust policy will not check rule 'main' condition "
                + "runner_environment");
        assertThat(aws.out()).contains("\"Federated\" : \"arn:aws:iam::123456789012:oidc-provider/"
                + "token.actions.githubusercontent.com\"").contains("\"token.actions.githubusercontent.com:sub\"")
                .doesNotContain("ref_protected");

        Path globbed = write("globbed.yaml", POLICY.replace("sub: repo:acme/app:ref:refs/heads/main",
                "sub: {glob: \"repo:acme/app:ref:refs/heads/*\"}"));
        CliRun strict = CliRun.of("policy", "export", globbed.toString(), "--profile", "deploy-prod", "--format", "vault");
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.err()).contains("cannot export profile 'deploy-prod' as vault [NOT_EXPRESSIBLE]")
                .contains("condition sub glob \"repo:acme/app:ref:refs/heads/*\"");
        CliRun lossy = CliRun.of("policy", "export", globbed.toString(), "--profile", "deploy-prod", "--format",
                "vault", "--lossy");
        assertThat(lossy.exitCode()).isZero();
        assertThat(lossy.err()).contains("warning: a Vault JWT role will not check rule 'main' condition sub glob");
        assertThat(lossy.out()).contains("\"role_type\" : \"jwt\"");

        for (String format : new String[] {"gcp", "azure"}) {
            CliRun run = CliRun.of("policy", "export", file.toString(), "--profile", "deploy-prod", "--format", format,
                    "--lossy");
            assertThat(run.exitCode()).as(format + run.err()).isZero();
        }
        assertThat(CliRun.of("policy", "export", file.toString(), "--profile", "deploy-prod", "--format", "ibm")
                .exitCode()).isEqualTo(2);
    }
}
