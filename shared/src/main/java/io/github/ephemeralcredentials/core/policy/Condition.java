package io.github.ephemeralcredentials.core.policy;

import com.google.re2j.Pattern;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A test on one claim's value. Matching is on the claim's JSON text (numbers and booleans as written in JSON);
 * for an array claim such as a multi-valued {@code aud}, a value test holds when any element passes. A test on a
 * missing claim is false, except {@link Absent} (and {@code not: {present: true}}).
 */
public sealed interface Condition {

    /**
     * @param value the claim's value as decoded from JSON, {@code null} when the claim is missing
     * @param now   the evaluation instant (for {@link MaxAge})
     */
    boolean holds(Object value, Instant now);

    /** The operator as written in the policy file: {@code equals}, {@code glob}, {@code not}... */
    String operator();

    /** What this condition expects, for explanations: {@code glob "repo:acme/*:**"}. */
    String expected();

    /** Whether the test is about presence rather than the value: the only ones that may hold on a missing claim. */
    default boolean aboutPresence() {
        return false;
    }

    record Equals(String value, boolean ignoreCase) implements Condition {
        @Override
        public boolean holds(Object claim, Instant now) {
            for (String text : ClaimText.texts(claim)) {
                if (ignoreCase ? text.equalsIgnoreCase(value) : text.equals(value)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String operator() {
            return "equals";
        }

        @Override
        public String expected() {
            return "equals " + ClaimText.quote(value) + (ignoreCase ? " (ignoring case)" : "");
        }
    }

    record OneOf(List<String> values, boolean ignoreCase) implements Condition {
        public OneOf {
            values = List.copyOf(values);
        }

        @Override
        public boolean holds(Object claim, Instant now) {
            for (String text : ClaimText.texts(claim)) {
                for (String value : values) {
                    if (ignoreCase ? text.equalsIgnoreCase(value) : text.equals(value)) {
                        return true;
                    }
                }
            }
            return false;
        }

        @Override
        public String operator() {
            return "oneOf";
        }

        @Override
        public String expected() {
            return "one of [" + values.stream().map(ClaimText::quote).collect(Collectors.joining(", ")) + "]"
                    + (ignoreCase ? " (ignoring case)" : "");
        }
    }

    /** A glob: {@code *} matches any run of characters except {@code /} and {@code :}; {@code **} matches any. */
    record Glob(String pattern, boolean ignoreCase, GlobMatcher matcher) implements Condition {

        /** @throws IllegalArgumentException when the glob is beyond {@link PatternLimits} */
        public static Glob of(String pattern, boolean ignoreCase) {
            PatternLimits.globProblem(pattern).ifPresent(problem -> {
                throw new IllegalArgumentException("the glob " + problem);
            });
            return new Glob(pattern, ignoreCase, new GlobMatcher(pattern, ignoreCase));
        }

        @Override
        public boolean holds(Object claim, Instant now) {
            for (String text : ClaimText.texts(claim)) {
                if (matcher.matches(text)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String operator() {
            return "glob";
        }

        @Override
        public String expected() {
            return "glob " + ClaimText.quote(pattern) + (ignoreCase ? " (ignoring case)" : "");
        }
    }

    /** An RE2 regular expression that must match the whole value; RE2J runs in time linear in the input. */
    record Regex(String pattern, boolean ignoreCase, Pattern compiled) implements Condition {

        /**
         * @throws com.google.re2j.PatternSyntaxException when RE2J rejects the pattern
         * @throws IllegalArgumentException               when the pattern is beyond {@link PatternLimits}
         */
        public static Regex of(String pattern, boolean ignoreCase) {
            PatternLimits.regexProblem(pattern).ifPresent(problem -> {
                throw new IllegalArgumentException("the regex " + problem);
            });
            return new Regex(pattern, ignoreCase, Pattern.compile(pattern, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
        }

        @Override
        public boolean holds(Object claim, Instant now) {
            for (String text : ClaimText.texts(claim)) {
                if (compiled.matches(text)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String operator() {
            return "regex";
        }

        @Override
        public String expected() {
            return "regex " + ClaimText.quote(pattern) + " (whole value)" + (ignoreCase ? " (ignoring case)" : "");
        }
    }

    record Absent() implements Condition {
        @Override
        public boolean holds(Object claim, Instant now) {
            return claim == null;
        }

        @Override
        public boolean aboutPresence() {
            return true;
        }

        @Override
        public String operator() {
            return "absent";
        }

        @Override
        public String expected() {
            return "absent";
        }
    }

    record Present() implements Condition {
        @Override
        public boolean holds(Object claim, Instant now) {
            return claim != null;
        }

        @Override
        public boolean aboutPresence() {
            return true;
        }

        @Override
        public String operator() {
            return "present";
        }

        @Override
        public String expected() {
            return "present";
        }
    }

    /** Negation. On a missing claim it is false (like every value test) unless it negates a presence test. */
    record Not(Condition inner) implements Condition {
        @Override
        public boolean holds(Object claim, Instant now) {
            if (claim == null && !inner.aboutPresence()) {
                return false;
            }
            return !inner.holds(claim, now);
        }

        @Override
        public boolean aboutPresence() {
            return inner.aboutPresence();
        }

        @Override
        public String operator() {
            return "not";
        }

        @Override
        public String expected() {
            return "not (" + inner.expected() + ")";
        }
    }

    /**
     * A time claim (seconds since the epoch, such as {@code iat}) no older than {@code maxAge} at evaluation, and not
     * in the future beyond {@link #FUTURE_TOLERANCE} (a token cannot be fresher than now). Compared exactly, so no
     * value, however large or small, wraps around.
     */
    record MaxAge(Duration maxAge) implements Condition {

        /** Clocks of issuer and evaluator differ a little: the verifier's default clock skew. */
        public static final Duration FUTURE_TOLERANCE = Duration.ofSeconds(60);

        @Override
        public boolean holds(Object claim, Instant now) {
            if (!(claim instanceof Number n)) {
                return false;
            }
            BigDecimal time;
            try {
                time = new BigDecimal(n.toString());
            } catch (NumberFormatException notFinite) {
                return false;
            }
            BigDecimal age = BigDecimal.valueOf(now.getEpochSecond()).subtract(time);
            return age.compareTo(BigDecimal.valueOf(-FUTURE_TOLERANCE.getSeconds())) >= 0
                    && age.compareTo(BigDecimal.valueOf(maxAge.getSeconds())) <= 0;
        }

        @Override
        public String operator() {
            return "maxAge";
        }

        @Override
        public String expected() {
            return "at most " + Durations.format(maxAge) + " before now (seconds since the epoch)";
        }
    }
}
