package io.github.ephemeralcredentials.core.policy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Bounds on what a pattern may cost to compile, checked before RE2J sees it: matching is linear, but compiling
 * expands every counted repetition, so 30 characters ({@code ((((a{100}){100}){100}){100})}) asked for 100 million
 * instructions. The rule for nested repetitions is Go's RE2 ({@code regexp/syntax}): along any path of nested
 * {@code {n,m}}, the counts (the maximum, or the minimum when unbounded) multiply to at most 1,000. On top, the
 * pattern's length and the size of the program it expands to are bounded; a glob's wildcards are its repetitions.
 */
final class PatternLimits {

    /** Characters in one regex or glob: an alternation of a few hundred repository names still fits. */
    static final int MAX_PATTERN_CHARS = 4096;
    /** Go's RE2 limit on the product of nested repetition counts. */
    static final int MAX_REPEAT_PRODUCT = 1000;
    /** Instructions the expanded program may hold, estimated as Go's parser does: about 10 MB in RE2J. */
    static final long MAX_PROGRAM_SIZE = 100_000;
    /** Wildcards in one glob: real ones have two or three. */
    static final int MAX_GLOB_WILDCARDS = 64;

    private PatternLimits() {
    }

    /** Why this glob must not be compiled, or empty when it is within bounds. */
    static Optional<String> globProblem(String glob) {
        if (glob.length() > MAX_PATTERN_CHARS) {
            return tooLong();
        }
        int wildcards = 0;
        for (int i = 0; i < glob.length(); i++) {
            if (glob.charAt(i) == '*' && (i == 0 || glob.charAt(i - 1) != '*')) {
                wildcards++;
            }
        }
        return wildcards > MAX_GLOB_WILDCARDS
                ? Optional.of("has more than " + MAX_GLOB_WILDCARDS + " wildcards; split it into several conditions")
                : Optional.empty();
    }

    /** Why RE2J must not compile this regex, or empty when it is within bounds (its syntax is RE2J's to judge). */
    static Optional<String> regexProblem(String regex) {
        if (regex.length() > MAX_PATTERN_CHARS) {
            return tooLong();
        }
        return new Walk(regex).run();
    }

    private static Optional<String> tooLong() {
        return Optional.of(String.format("is longer than the %,d-character limit for a pattern; "
                + "split it into several conditions", MAX_PATTERN_CHARS));
    }

    /**
     * One pass over RE2 syntax that sees only what costs: atoms, groups, alternations and counted repetitions.
     * Anything it does not understand counts as a one-character atom, and RE2J judges the syntax afterwards.
     */
    private static final class Walk {
        private final String re;
        private int i;
        private final Deque<Group> groups = new ArrayDeque<>();

        /** Within one group: the largest repetition product and the program size so far, and the pending atom. */
        private static final class Group {
            long product = 1;
            long size;
            long lastProduct;
            long lastSize;

            void atom(long atomProduct, long atomSize) {
                commit();
                lastProduct = atomProduct;
                lastSize = atomSize;
            }

            void commit() {
                product = Math.max(product, lastProduct);
                size += lastSize;
                lastProduct = 0;
                lastSize = 0;
            }
        }

        Walk(String re) {
            this.re = re;
            groups.push(new Group());
        }

        Optional<String> run() {
            while (i < re.length()) {
                char c = re.charAt(i);
                Group g = groups.peek();
                switch (c) {
                    case '(' -> openGroup();
                    case ')' -> {
                        i++;
                        if (groups.size() > 1) {
                            Group closed = groups.pop();
                            closed.commit();
                            groups.peek().atom(closed.product, closed.size + 1);
                        }
                    }
                    case '|' -> {
                        i++;
                        g.commit();
                        g.size++;
                    }
                    case '*', '+', '?' -> {
                        i++;
                        g.lastSize++;
                    }
                    case '{' -> {
                        Optional<String> problem = counted(g);
                        if (problem.isPresent()) {
                            return problem;
                        }
                    }
                    case '[' -> {
                        skipClass();
                        g.atom(1, 1);
                    }
                    case '\\' -> escape(g);
                    default -> {
                        i++;
                        g.atom(1, 1);
                    }
                }
                if (totalSize() > MAX_PROGRAM_SIZE) {
                    return Optional.of(String.format("expands to more than %,d instructions when compiled; "
                            + "count fewer repetitions of long parts", MAX_PROGRAM_SIZE));
                }
            }
            return Optional.empty();
        }

        private long totalSize() {
            long total = 0;
            for (Group g : groups) {
                total += g.size + g.lastSize;
            }
            return total;
        }

        private void openGroup() {
            i++;
            if (i < re.length() && re.charAt(i) == '?') {
                // (?flags) sets flags and is no group; (?flags:...), (?P<name>...) and (?<name>...) are groups.
                int j = i + 1;
                while (j < re.length() && re.charAt(j) != ')' && re.charAt(j) != ':' && re.charAt(j) != '>') {
                    j++;
                }
                if (j < re.length() && re.charAt(j) == ')') {
                    i = j + 1;
                    return;
                }
                i = Math.min(j + 1, re.length());
            }
            groups.push(new Group());
        }

        /** {@code {n}}, {@code {n,}} or {@code {n,m}} after an atom; anything else is a literal brace in RE2. */
        private Optional<String> counted(Group g) {
            int close = re.indexOf('}', i);
            String body = close < 0 ? "" : re.substring(i + 1, close);
            if (!body.matches("[0-9]{1,9}(,[0-9]{0,9})?")) {
                i++;
                g.atom(1, 1);
                return Optional.empty();
            }
            i = close + 1;
            int comma = body.indexOf(',');
            long min = Long.parseLong(comma < 0 ? body : body.substring(0, comma));
            long max = comma < 0 ? min : comma == body.length() - 1 ? -1 : Long.parseLong(body.substring(comma + 1));
            long count = max < 0 ? min : max;
            if (count == 0) {
                g.lastProduct = 1;
                g.lastSize = 1;
                return Optional.empty();
            }
            long product = Math.max(1, g.lastProduct) * count;
            if (count > MAX_REPEAT_PRODUCT || product > MAX_REPEAT_PRODUCT) {
                return Optional.of(String.format("counts repetitions that, nested inside each other, multiply to "
                        + "more than %,d copies (the limit of Go's RE2); count fewer, or use * or +",
                        MAX_REPEAT_PRODUCT));
            }
            g.lastProduct = product;
            g.lastSize = Math.max(1, g.lastSize) * count + 1;
            return Optional.empty();
        }

        private void skipClass() {
            i++;
            if (i < re.length() && re.charAt(i) == '^') {
                i++;
            }
            if (i < re.length() && re.charAt(i) == ']') {
                i++;
            }
            while (i < re.length() && re.charAt(i) != ']') {
                if (re.charAt(i) == '\\') {
                    i += 2;
                } else if (re.startsWith("[:", i)) {
                    int end = re.indexOf(":]", i + 2);
                    i = end < 0 ? i + 1 : end + 2;
                } else {
                    i++;
                }
            }
            i++;
        }

        private void escape(Group g) {
            i++;
            if (i >= re.length()) {
                return;
            }
            char c = re.charAt(i);
            i++;
            if (c == 'Q') {
                int end = re.indexOf("\\E", i);
                int stop = end < 0 ? re.length() : end;
                for (; i < stop; i++) {
                    g.atom(1, 1);
                }
                i = end < 0 ? re.length() : end + 2;
                return;
            }
            if ((c == 'p' || c == 'P' || c == 'x') && i < re.length() && re.charAt(i) == '{') {
                int end = re.indexOf('}', i);
                i = end < 0 ? re.length() : end + 1;
            } else if (c == 'p' || c == 'P') {
                i = Math.min(i + 1, re.length());
            } else if (c == 'x') {
                i = Math.min(i + 2, re.length());
            }
            g.atom(1, 1);
        }
    }
}
