package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy files written to hurt whoever loads them (a Jenkins controller parses the administrator's text in its own
 * JVM): each is refused with a named limit and a position, before it costs memory or the stack.
 */
class HostilePolicyTest {

    private static final String HEADER = """
            version: 1
            profiles:
              deploy: {provider: aws, maxLifetime: 15m}
            rules:
            """;

    private static PolicyProblem refusal(String yaml) {
        try {
            PolicyLoader.parseStructure(yaml, "policy.yaml");
        } catch (PolicyException e) {
            return e.problems().get(0);
        }
        throw new AssertionError("expected the policy to be refused");
    }

    private static String rule(String claims) {
        return HEADER + "  - name: r\n    issuer: https://token.actions.githubusercontent.com\n"
                + "    profiles: [deploy]\n    claims:\n" + claims;
    }

    @Test
    @Timeout(30)
    void scalarAliasesCannotMultiplyOneLongTextIntoEveryCondition() {
        // The finding: a 999 KB file, one 500 KB anchored string, 30,000 aliases of it: 15 billion characters.
        StringBuilder yaml = new StringBuilder("version: 1\nbig: &s \"").append("x".repeat(500_000)).append("\"\n");
        yaml.append(HEADER.substring("version: 1\n".length()));
        yaml.append("  - name: r\n    issuer: https://token.actions.githubusercontent.com\n    profiles: [deploy]\n")
                .append("    claims:\n      sub: {oneOf: [");
        for (int i = 0; i < 30_000; i++) {
            yaml.append(i == 0 ? "" : ", ").append("*s");
        }
        yaml.append("]}\n");
        PolicyProblem p = refusal(yaml.toString());
        assertThat(p.code()).isEqualTo(PolicyProblem.Code.TOO_COMPLEX);
        assertThat(p.message()).contains("more than 2,097,152 characters of text once its aliases are expanded");
        assertThat(p.position().line()).isEqualTo(10);
        assertThat(p.position().column()).isGreaterThan(20);
    }

    @Test
    void oneConditionValueHasALengthLimit() {
        String longValue = "a".repeat(PolicyReader.MAX_VALUE_CHARS + 1);
        for (String condition : List.of("{equals: " + longValue + "}", "{oneOf: [x, " + longValue + "]}",
                "{not: {equals: " + longValue + "}}")) {
            PolicyProblem p = refusal(rule("      sub: " + condition + "\n"));
            assertThat(p.code()).as(condition.substring(0, 8)).isEqualTo(PolicyProblem.Code.INVALID_VALUE);
            assertThat(p.message()).contains("longer than the 8,192-character limit for one value");
            assertThat(p.position().line()).isEqualTo(9);
        }
        // At the limit it loads.
        PolicyLoader.parseStructure(rule("      sub: {equals: " + "a".repeat(PolicyReader.MAX_VALUE_CHARS) + "}\n"),
                "policy.yaml");
    }

    @Test
    @Timeout(30)
    void nestedRegexRepetitionsAreRefusedBeforeCompiling() {
        // 30 characters that ran RE2J's compiler out of memory.
        PolicyProblem p = refusal(rule("      sub: {regex: \"((((a{100}){100}){100}){100})\"}\n"));
        assertThat(p.code()).isEqualTo(PolicyProblem.Code.INVALID_REGEX);
        assertThat(p.message()).contains("nested inside each other, multiply to more than 1,000 copies");
        assertThat(p.position()).hasToString("policy.yaml:9:20");
        assertThat(refusal(rule("      sub: {regex: \"(a{2}){501}\"}\n")).code())
                .isEqualTo(PolicyProblem.Code.INVALID_REGEX);
        PolicyProblem size = refusal(rule("      sub: {regex: \"(" + "a".repeat(200) + "){1000}\"}\n"));
        assertThat(size.message()).contains("expands to more than 100,000 instructions");
        // Within Go's rule: x{1000} alone, and (x{10}){100}.
        PolicyLoader.parseStructure(rule("      sub: {regex: \"(a{10}){100}b{1000}[a-z]{2,5}\"}\n"), "p.yaml");
    }

    @Test
    @Timeout(30)
    void longRegexesAreRefused() {
        String pattern = "(a|b)".repeat(PatternLimits.MAX_PATTERN_CHARS / 5 + 1);
        PolicyProblem p = refusal(rule("      sub: {regex: \"" + pattern + "\"}\n"));
        assertThat(p.code()).isEqualTo(PolicyProblem.Code.INVALID_REGEX);
        assertThat(p.message()).contains("longer than the 4,096-character limit for a pattern");
    }

    @Test
    @Timeout(30)
    void globsHaveTheSameBounds() {
        // The finding: a glob of 5,000 '**' took 9 s and 2.4 GB to compile.
        PolicyProblem p = refusal(rule("      sub: {glob: \"" + "**a".repeat(5_000) + "\"}\n"));
        assertThat(p.code()).isEqualTo(PolicyProblem.Code.INVALID_VALUE);
        assertThat(p.message()).contains("longer than the 4,096-character limit for a pattern");
        PolicyProblem stars = refusal(rule("      sub: {glob: \"" + "*a".repeat(PatternLimits.MAX_GLOB_WILDCARDS + 1)
                + "\"}\n"));
        assertThat(stars.code()).isEqualTo(PolicyProblem.Code.INVALID_VALUE);
        assertThat(stars.message()).contains("has more than 64 wildcards");
        PolicyLoader.parseStructure(rule("      sub: {glob: \"" + "*a".repeat(PatternLimits.MAX_GLOB_WILDCARDS)
                + "\"}\n"), "p.yaml");
    }

    @Test
    @Timeout(30)
    void deepNestingIsRefusedWithItsPositionInsteadOfOverflowingTheStack() {
        // The finding: 4 KB of 2,000 nested flow lists overflowed snakeyaml-engine's composer.
        String yaml = "version: 1\nprofiles: " + "[".repeat(2_000) + "]".repeat(2_000) + "\n";
        PolicyProblem p = refusal(yaml);
        assertThat(p.code()).isEqualTo(PolicyProblem.Code.TOO_COMPLEX);
        assertThat(p.message()).contains("nested deeper than 64 lists or mappings");
        assertThat(p.position()).hasToString("policy.yaml:2:74"); // the 64th level: the top mapping is the first
        String mappings = "version: 1\nprofiles: " + "{a: ".repeat(2_000) + "}".repeat(2_000) + "\n";
        assertThat(refusal(mappings).code()).isEqualTo(PolicyProblem.Code.TOO_COMPLEX);
    }

    @Test
    @Timeout(30)
    void devZeroIsReadOnlyUpToTheLimit() {
        // Files.size() says 0: the loader must stop reading, not trust the size.
        assertThatThrownBy(() -> PolicyLoader.loadStructure(Path.of("/dev/zero")))
                .isInstanceOfSatisfying(PolicyException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PolicyProblem.Code.TOO_LARGE);
                    assertThat(e.getMessage()).contains("over the 1,048,576-byte limit");
                });
    }

    @Test
    @Timeout(60)
    void aFifoIsReadOnlyUpToTheLimit(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("policy.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        Thread writer = new Thread(() -> {
            byte[] line = "# padding padding padding padding padding padding padding\n".getBytes(StandardCharsets.UTF_8);
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write("version: 1\n".getBytes(StandardCharsets.UTF_8));
                while (true) {
                    out.write(line); // never ends: only the reader closing its end stops it
                }
            } catch (IOException expected) {
                // The loader closes its end after limit + 1 bytes: a broken pipe here is the point.
            }
        }, "fifo-writer");
        writer.setDaemon(true);
        writer.start();
        assertThatThrownBy(() -> PolicyLoader.loadStructure(fifo)).isInstanceOfSatisfying(PolicyException.class, e -> {
            assertThat(e.reason()).isEqualTo(PolicyProblem.Code.TOO_LARGE);
            assertThat(e.getMessage()).contains("over the 1,048,576-byte limit");
        });
        writer.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(writer.isAlive()).as("the writer saw the loader close its end").isFalse();
    }

    @Test
    @Timeout(60)
    void oneLargeScalarCostsAboutItsOwnSize() {
        // The finding: one 1 MiB scalar allocated about 2 GB (a 1 KiB read buffer growing quadratically).
        String yaml = HEADER + "  - name: r\n    issuer: https://token.actions.githubusercontent.com\n"
                + "    profiles: [deploy]\n    description: \"" + "d".repeat(1_000_000) + "\"\n";
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Policy policy = PolicyLoader.parseStructure(yaml, "policy.yaml");
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(policy.rules()).hasSize(1);
        assertThat(allocated).as("bytes allocated to load a 1 MB policy").isLessThan(200L * 1024 * 1024);
    }

    @Test
    void theAliasLimitNamesTheAliasThatCrossedIt() {
        StringBuilder yaml = new StringBuilder("version: 1\nbase: &b {x: 1}\nmany:\n");
        for (int i = 0; i < GuardedEvents.MAX_COLLECTION_ALIASES + 1; i++) {
            yaml.append("  - *b\n");
        }
        PolicyProblem p = refusal(yaml.toString());
        assertThat(p.code()).isEqualTo(PolicyProblem.Code.TOO_COMPLEX);
        assertThat(p.message()).contains("more than 20 aliases of lists or mappings");
        assertThat(p.position()).hasToString("policy.yaml:24:5");
    }

    @Test
    void aUtf8ErrorNamesItsLineAndColumn(@TempDir Path dir) throws IOException {
        byte[] head = "version: 1\nprofiles:\n  d\u00e9ploy: ".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 2];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xC3;
        bytes[head.length + 1] = (byte) 0x28;
        Path file = Files.write(dir.resolve("p.yaml"), bytes);
        assertThatThrownBy(() -> PolicyLoader.loadStructure(file)).isInstanceOfSatisfying(PolicyException.class, e -> {
            assertThat(e.reason()).isEqualTo(PolicyProblem.Code.SYNTAX);
            assertThat(e.problems().get(0).position()).hasToString(file + ":3:11");
            assertThat(e.getMessage()).contains("not UTF-8");
        });
    }

    @Test
    void maxAgeHoldsOnlyForAnIssueTimeInThePastWithinTheAge() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        Condition.MaxAge tenMinutes = new Condition.MaxAge(Duration.ofMinutes(10));
        assertThat(tenMinutes.holds(now.getEpochSecond() - 300, now)).isTrue();
        assertThat(tenMinutes.holds(now.getEpochSecond() - 601, now)).isFalse();
        // The findings: the age overflowed for iat = Long.MIN_VALUE, and any future iat passed.
        assertThat(tenMinutes.holds(Long.MIN_VALUE, now)).isFalse();
        assertThat(tenMinutes.holds(Long.MAX_VALUE, now)).isFalse();
        assertThat(tenMinutes.holds(now.getEpochSecond() + 3600, now)).isFalse();
        assertThat(tenMinutes.holds(1e300, now)).isFalse();
        assertThat(tenMinutes.holds(-1e300, now)).isFalse();
        assertThat(tenMinutes.holds(java.math.BigInteger.TEN.pow(40).negate(), now)).isFalse();
        // A clock a little behind the issuer's is no reason to deny: the verifier's default skew.
        assertThat(tenMinutes.holds(now.getEpochSecond() + 30, now)).isTrue();
        assertThat(tenMinutes.holds((double) now.getEpochSecond() - 1.5, now)).isTrue();
    }

    @Test
    @Timeout(30)
    void anAnchorRedefinedAndUsedInsideItselfIsRefusedNotLoopedOn() {
        // Found by PolicyLoaderFuzzTest: the second &m was still open when *m merged it into itself, and
        // snakeyaml-engine's merge flattening never finished (the input is kept under PolicyLoaderFuzzTestInputs).
        PolicyProblem p = refusal("""
                version: 1
                a: &m {x: 1}
                b: &m
                  y: 2
                  <<: *m
                """);
        assertThat(p.code()).isEqualTo(PolicyProblem.Code.TOO_COMPLEX);
        assertThat(p.message()).contains("refers to itself");
        assertThat(p.position()).hasToString("policy.yaml:5:7");
    }

    @Test
    void aBrokenEscapeIsASyntaxErrorNotANumberFormatException() {
        // Found by PolicyLoaderFuzzTest: at the end of the file, snakeyaml-engine hands the missing digits of an
        // escape to Integer.parseInt.
        for (String escape : List.of("\\x", "\\x4", "\\u12", "\\U")) {
            PolicyProblem p = refusal("version: 1\nx: \"abc" + escape);
            assertThat(p.code()).as(escape).isEqualTo(PolicyProblem.Code.SYNTAX);
            assertThat(p.message()).contains("not valid YAML or JSON");
        }
    }
}
