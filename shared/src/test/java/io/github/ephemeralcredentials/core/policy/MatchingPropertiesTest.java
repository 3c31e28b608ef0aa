package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Glob and regex semantics checked against simple reference implementations: a naive recursive glob matcher
 * written from the documented rules, and {@code java.util.regex} (a backtracking engine, fine on small inputs).
 */
class MatchingPropertiesTest {

    private static final Instant NOW = Instant.EPOCH;

    @Property(tries = 3000)
    void globAgreesWithTheReferenceMatcher(@ForAll("globs") String glob, @ForAll("values") String value,
                                           @ForAll boolean ignoreCase) {
        boolean expected = referenceGlob(glob, 0, value, 0, ignoreCase);
        assertThat(Condition.Glob.of(glob, ignoreCase).holds(value, NOW))
                .as("glob %s on %s (ignoreCase %s)", glob, value, ignoreCase).isEqualTo(expected);
    }

    @Property(tries = 300)
    void longGlobsAgreeWithTheReferenceMatcherToo(@ForAll("longGlobs") String glob, @ForAll("longValues") String value,
                                                  @ForAll boolean ignoreCase) {
        assertThat(Condition.Glob.of(glob, ignoreCase).holds(value, NOW)).as("glob %s on %s", glob, value)
                .isEqualTo(referenceGlob(glob, 0, value, 0, ignoreCase));
    }

    @Property(tries = 2000)
    void aGlobMatchesEveryValueBuiltFromIt(@ForAll("globs") String glob, @ForAll("segments") String fill,
                                           @ForAll("values") String anything) {
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            if (glob.startsWith("**", i)) {
                value.append(anything);
                while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    i++;
                }
            } else if (glob.charAt(i) == '*') {
                value.append(fill);
            } else {
                value.append(glob.charAt(i));
            }
        }
        assertThat(Condition.Glob.of(glob, false).holds(value.toString(), NOW)).as("%s on %s", glob, value).isTrue();
    }

    @Property(tries = 1000)
    void aSingleStarNeverCrossesSlashOrColon(@ForAll("segments") String left, @ForAll("separators") String sep,
                                             @ForAll("segments") String right) {
        assertThat(Condition.Glob.of("x*y", false).holds("x" + left + sep + right + "y", NOW)).isFalse();
        assertThat(Condition.Glob.of("x**y", false).holds("x" + left + sep + right + "y", NOW)).isTrue();
    }

    @Property(tries = 3000)
    void regexAgreesWithJavaRegexOnTheWholeValue(@ForAll("regexes") String regex, @ForAll("values") String value,
                                                 @ForAll boolean ignoreCase) {
        java.util.regex.Pattern reference = java.util.regex.Pattern.compile(regex,
                ignoreCase ? java.util.regex.Pattern.CASE_INSENSITIVE : 0);
        assertThat(Condition.Regex.of(regex, ignoreCase).holds(value, NOW))
                .as("regex %s on %s", regex, value).isEqualTo(reference.matcher(value).matches());
    }

    @Property(tries = 1000)
    void regexNeverMatchesAPartOfTheValue(@ForAll("regexes") String regex, @ForAll("values") String value) {
        java.util.regex.Matcher partial = java.util.regex.Pattern.compile(regex).matcher(value);
        boolean whole = java.util.regex.Pattern.compile(regex).matcher(value).matches();
        if (partial.find() && !whole) {
            assertThat(Condition.Regex.of(regex, false).holds(value, NOW)).as("regex %s on %s", regex, value).isFalse();
        }
    }

    @Provide
    Arbitrary<String> globs() {
        return Arbitraries.strings().withChars("aB/:*.?[").ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.strings().withChars("abAB/:.?[").ofMaxLength(10);
    }

    @Provide
    Arbitrary<String> longGlobs() {
        return Arbitraries.strings().withChars("aaaaB/:*").ofMinLength(55).ofMaxLength(80);
    }

    @Provide
    Arbitrary<String> longValues() {
        return Arbitraries.strings().withChars("aaaaAB/:").ofMinLength(40).ofMaxLength(90);
    }

    @Provide
    Arbitrary<String> segments() {
        return Arbitraries.strings().withChars("abAB.-").ofMaxLength(5);
    }

    @Provide
    Arbitrary<String> separators() {
        return Arbitraries.of("/", ":");
    }

    @Provide
    Arbitrary<String> regexes() {
        Arbitrary<String> atom = Arbitraries.of("a", "b", "A", "/", ":", "\\.", ".", "[ab]", "[^a]", "(?:a|b)",
                "[a-z]", "\\d", "\\w");
        Arbitrary<String> piece = Combinators.combine(atom, Arbitraries.of("", "", "*", "+", "?", "{1,2}"))
                .as((a, q) -> a + q);
        Arbitrary<String> sequence = piece.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join("", l));
        Arbitrary<String> alternation = sequence.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("|", l));
        Arbitrary<String> grouped = Combinators.combine(alternation, Arbitraries.of("", "*", "+", "?"))
                .as((r, q) -> "(" + r + ")" + q);
        return Combinators.combine(Arbitraries.oneOf(alternation, grouped), Arbitraries.oneOf(sequence, Arbitraries.just("")))
                .as((a, b) -> a + b);
    }

    /** The documented glob rules, written naively. */
    static boolean referenceGlob(String p, int i, String s, int j, boolean ignoreCase) {
        if (i == p.length()) {
            return j == s.length();
        }
        if (p.startsWith("**", i)) {
            int next = i;
            while (next < p.length() && p.charAt(next) == '*') {
                next++;
            }
            for (int k = j; k <= s.length(); k++) {
                if (referenceGlob(p, next, s, k, ignoreCase)) {
                    return true;
                }
            }
            return false;
        }
        if (p.charAt(i) == '*') {
            for (int k = j; k <= s.length(); k++) {
                if (referenceGlob(p, i + 1, s, k, ignoreCase)) {
                    return true;
                }
                if (k < s.length() && (s.charAt(k) == '/' || s.charAt(k) == ':')) {
                    return false;
                }
            }
            return false;
        }
        if (j == s.length()) {
            return false;
        }
        char a = p.charAt(i);
        char b = s.charAt(j);
        boolean same = ignoreCase
                ? Character.toLowerCase(a) == Character.toLowerCase(b) || Character.toUpperCase(a) == Character.toUpperCase(b)
                : a == b;
        return same && referenceGlob(p, i + 1, s, j + 1, ignoreCase);
    }
}
