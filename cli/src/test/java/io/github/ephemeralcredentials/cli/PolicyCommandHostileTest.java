package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The policy commands fed what an attacker writes: one error line and the documented exit code, never a trace. */
class PolicyCommandHostileTest {

    @TempDir
    Path dir;

    /** ESC/OSC, C1 CSI, a bidi override and a line break that would start a workflow command, in YAML's escapes. */
    private static final String HOSTILE_YAML = "x\\n::add-mask::leak\\e]0;t\\a\\x9b\\u202e";

    private static final String POLICY = """
            version: 1
            profiles:
              deploy: {provider: aws, maxLifetime: 15m, owner: "%1$s", tags: {"%1$s": "%1$s"},
                       parameters: {role-arn: "arn:aws:iam::123456789012:role/deploy"}}
            rules:
              - name: "%1$s"
                issuer: https://token.actions.githubusercontent.com
                profiles: [deploy]
                claims:
                  "%1$s": {equals: "%1$s"}
            tests:
              - name: "%1$s"
                profile: deploy
                expect: allow
                claims: {iss: "https://token.actions.githubusercontent.com", "%1$s": "no"}
            """.formatted(HOSTILE_YAML);

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private static void assertNothingSteers(CliRun run) {
        String all = run.out() + run.err();
        assertThat(all.codePoints().filter(cp -> cp != '\n')
                .noneMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                        || Character.getType(cp) == Character.LINE_SEPARATOR))
                .as(all).isTrue();
        assertThat(all.lines()).noneMatch(line -> line.strip().startsWith("::"));
    }

    private static void assertOneErrorNoTrace(CliRun run, String expected) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).contains(expected).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void testAndExplainEscapeEverythingTheyQuote() throws IOException {
        Path policy = write("policy.yaml", POLICY);
        CliRun test = CliRun.of("policy", "test", "-v", policy.toString());
        assertThat(test.exitCode()).as(test.err()).isEqualTo(ExitCodes.NO);
        assertThat(test.out()).contains("FAIL x\\n::add-mask::leak\\u001b]0;t\\u0007\\u009b\\u202e");
        assertNothingSteers(test);

        Path claims = write("claims.json", "{\"iss\": \"https://token.actions.githubusercontent.com\","
                + " \"sub\": \"a\\u001b[31mred\\u2028b\"}");
        for (String profile : new String[] {"deploy", "x\n::add-mask::leak\u001b]0;t\u0007\u009b\u202e"}) {
            CliRun explain = CliRun.of("policy", "explain", policy.toString(), "--claims", claims.toString(),
                    "--profile", profile);
            assertThat(explain.exitCode()).as(explain.err()).isEqualTo(ExitCodes.NO);
            assertNothingSteers(explain);
        }
        CliRun at = CliRun.of("policy", "explain", policy.toString(), "--claims", claims.toString(),
                "--profile", "deploy", "--at", "\u001b]0;t\u0007\n::add-mask::x");
        assertThat(at.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertNothingSteers(at);
    }

    @Test
    void validateAndLintEscapeTheirFindings() throws IOException {
        Path broken = write("broken.yaml", "version: 1\n\"pro\\e[2Jfiles\\n::add-mask::x\": {}\n");
        CliRun validate = CliRun.of("policy", "validate", broken.toString());
        assertThat(validate.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertNothingSteers(validate);
        CliRun lint = CliRun.of("policy", "lint", write("policy.yaml", POLICY).toString());
        assertNothingSteers(lint);
    }

    @Test
    void explainRefusesClaimsThatAreNotAnObjectWithTheInputErrorCode() throws IOException {
        Path policy = write("policy.yaml", POLICY);
        for (String json : new String[] {"null", "[1, 2]", "\"text\"", "42", ""}) {
            CliRun run = CliRun.of("policy", "explain", policy.toString(), "--claims", write("c.json", json).toString(),
                    "--profile", "deploy");
            assertOneErrorNoTrace(run, "a JSON object");
        }
    }

    @Test
    void explainRefusesDeeplyNestedClaims() throws IOException {
        String deep = "{\"a\": ".repeat(10_000) + "1" + "}".repeat(10_000);
        CliRun run = CliRun.of("policy", "explain", write("policy.yaml", POLICY).toString(), "--claims",
                write("deep.json", deep).toString(), "--profile", "deploy");
        assertOneErrorNoTrace(run, "nested");
    }

    @Test
    void explainRefusesDuplicateClaimsAsTheVerifierDoes() throws IOException {
        CliRun run = CliRun.of("policy", "explain", write("policy.yaml", POLICY).toString(), "--claims",
                write("dup.json", "{\"sub\": \"repo:acme/app:ref:refs/heads/main\", \"sub\": \"x\"}").toString(),
                "--profile", "deploy");
        assertOneErrorNoTrace(run, "duplicate");
        assertThat(run.err()).contains("'sub'");
    }

    @Test
    @Timeout(60)
    void explainReadsAClaimsFileOnlyUpToItsLimit() throws IOException {
        CliRun run = CliRun.of("policy", "explain", write("policy.yaml", POLICY).toString(), "--claims", "/dev/zero",
                "--profile", "deploy");
        assertOneErrorNoTrace(run, "over 1 MiB");
    }

    @Test
    void explainRefusesAnEncryptedTokenWithTheInputErrorCode() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                new JWTClaimsSet.Builder().subject("canary-claim-5d1e").build());
        jwe.encrypt(new RSAEncrypter(key.toRSAPublicKey()));
        String token = jwe.serialize();
        CliRun run = CliRun.of("policy", "explain", write("policy.yaml", POLICY).toString(), "--token", token,
                "--profile", "deploy");
        assertOneErrorNoTrace(run, "encrypted");
        assertThat(run.out() + run.err()).doesNotContain(token);
    }

    @Test
    void explainRefusesDeeplyNestedTokenClaims() throws Exception {
        // Under the verifier's 16 KiB limit, 5,000 levels.
        String deep = "{\"sub\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}";
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes()) + "."
                + b64.encodeToString(deep.getBytes()) + ".c2ln";
        CliRun run = CliRun.of("policy", "explain", write("policy.yaml", POLICY).toString(), "--token", token,
                "--profile", "deploy");
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void anErrorThatEscapesACommandIsOneLineNotATrace() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        assertThat(CommandFailure.atTheEdge(() -> {
            throw new StackOverflowError();
        }, lines::add)).isEqualTo(ExitCodes.FAILURE);
        assertThat(CommandFailure.atTheEdge(() -> {
            throw new OutOfMemoryError("Java heap space");
        }, lines::add)).isEqualTo(ExitCodes.FAILURE);
        assertThat(lines).containsExactly(
                "the command ran out of stack (an input nested too deeply?) and stopped",
                "the command ran out of memory (an input too large?) and stopped");
    }
}
