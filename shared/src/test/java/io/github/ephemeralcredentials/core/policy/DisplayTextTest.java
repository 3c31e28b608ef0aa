package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One escaping rule for text that reaches a terminal or a CI log: nothing in it can steer either. */
class DisplayTextTest {

    /** What a terminal or a log reader acts on: controls (C0, DEL, C1), line breaks, bidi and other format marks. */
    private static boolean steers(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    @Test
    void noCodePointThatSteersATerminalSurvives() {
        java.util.List<String> wrong = new java.util.ArrayList<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String raw = "a" + new String(Character.toChars(cp)) + "b";
            String escaped = DisplayText.escape(raw);
            if (escaped.codePoints().anyMatch(DisplayTextTest::steers) || !steers(cp) && !escaped.equals(raw)) {
                wrong.add(String.format("U+%04X -> %s", cp, escaped));
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(DisplayText.escape("\ud800x\udc00")).isEqualTo("\\ud800x\\udc00");
    }

    @Test
    void theEscapesAreReadable() {
        assertThat(DisplayText.escape("line1\nline2\r\tx")).isEqualTo("line1\\nline2\\r\\tx");
        assertThat(DisplayText.escape("\u001b]0;title\u0007")).isEqualTo("\\u001b]0;title\\u0007");
        assertThat(DisplayText.escape("\u009b31m")).isEqualTo("\\u009b31m");
        assertThat(DisplayText.escape("abc\u202edef\u2066")).isEqualTo("abc\\u202edef\\u2066");
        assertThat(DisplayText.escape("a\u2028b\u0085c")).isEqualTo("a\\u2028b\\u0085c");
        assertThat(DisplayText.escape("tag\udb40\udc01")).isEqualTo("tag\\udb40\\udc01");
        assertThat(DisplayText.escape("déploiement — 日本語 \u00a0ok")).isEqualTo("déploiement — 日本語 \u00a0ok");
        assertThat(DisplayText.escape(null)).isEqualTo("null");
    }

    @Test
    void anExplanationCarriesNoRawControlCharacterFromThePolicyTheClaimsOrTheRequest() {
        String hostile = "x\n::add-mask::leak\u001b]0;t\u0007\u009b\u202e\u2028";
        Policy policy = PolicyLoader.parseStructure("""
                version: 1
                profiles:
                  deploy: {provider: aws, maxLifetime: 15m, owner: "%1$s", tags: {"%1$s": "%1$s"}}
                rules:
                  - name: "%1$s"
                    issuer: https://issuer.example
                    profiles: [deploy]
                    claims:
                      "%1$s": {equals: "%1$s"}
                """.formatted(hostile.replace("\n", "\\n").replace("\u001b", "\\e").replace("\u0007", "\\a")
                .replace("\u009b", "\\x9b").replace("\u202e", "\\u202e").replace("\u2028", "\\u2028")), "p.yaml");
        assertThat(policy.rules().get(0).name()).isEqualTo(hostile);
        for (String profile : new String[] {"deploy", hostile}) {
            Decision decision = policy.evaluate(io.github.ephemeralcredentials.core.oidc.Claims.of(Map.of(
                    "iss", "https://issuer.example", "sub", hostile, hostile, hostile + "!")), profile, Instant.EPOCH);
            String explained = decision.explain();
            assertThat(explained.codePoints().filter(cp -> cp != '\n').noneMatch(DisplayTextTest::steers))
                    .as(explained).isTrue();
            assertThat(explained.lines()).noneMatch(line -> line.strip().startsWith("::"));
            assertThat(explained).contains("x\\n::add-mask::leak\\u001b]0;t\\u0007\\u009b\\u202e\\u2028");
        }
    }

    @Test
    void policyProblemsAndLintFindingsAreEscapedToo() {
        try {
            PolicyLoader.parseStructure("version: 1\n\"pro\\e[2Jfiles\\n::add-mask::x\": {}\n", "p.yaml");
        } catch (PolicyException e) {
            assertThat(e.getMessage()).contains("pro\\u001b[2Jfiles\\n::add-mask::x").doesNotContain("\u001b")
                    .doesNotContain("\n::");
            return;
        }
        throw new AssertionError("expected a refusal");
    }
}
