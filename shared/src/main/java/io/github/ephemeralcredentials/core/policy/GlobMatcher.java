package io.github.ephemeralcredentials.core.policy;

import com.google.re2j.Pattern;

/**
 * A compiled policy glob. Globs of up to 63 tokens run as a bit-parallel NFA (one {@code long} of states, a few
 * operations per character: linear time, no backtracking); longer ones, and case-insensitive globs with non-ASCII
 * letters (whose case folding RE2J knows), fall back to RE2J. Both are checked against
 * a reference implementation by property tests.
 */
public final class GlobMatcher {

    private static final int MAX_BITS = 63;

    private final Pattern fallback;
    private final long[] ascii;           // for each ASCII char: token positions whose literal equals it
    private final char[] literals;        // per position, the literal (0 for stars), for non-ASCII chars
    private final char[] foldedLiterals;  // lower-case literals when ignoring case
    private final long anyStars;          // positions holding ** (stay on any char)
    private final long segmentStars;      // positions holding * (stay on any char but / and :)
    private final long allStars;
    private final int accept;
    private final boolean ignoreCase;

    GlobMatcher(String glob, boolean ignoreCase) {
        this.ignoreCase = ignoreCase;
        StringBuilder lits = new StringBuilder();
        long any = 0;
        long seg = 0;
        int pos = 0;
        for (int i = 0; i < glob.length(); i++, pos++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        i++;
                    }
                    any |= bit(pos);
                } else {
                    seg |= bit(pos);
                }
                lits.append('\0');
            } else {
                lits.append(c);
            }
        }
        this.literals = lits.toString().toCharArray();
        this.accept = literals.length;
        boolean unicodeFolding = ignoreCase && glob.chars().anyMatch(ch -> ch >= 128);
        if (accept > MAX_BITS || unicodeFolding) {
            this.fallback = GlobSyntax.compile(glob, ignoreCase);
            this.ascii = null;
            this.foldedLiterals = null;
            this.anyStars = 0;
            this.segmentStars = 0;
            this.allStars = 0;
            return;
        }
        this.fallback = null;
        this.anyStars = any;
        this.segmentStars = seg;
        this.allStars = any | seg;
        this.ascii = new long[128];
        this.foldedLiterals = new char[literals.length];
        for (int p = 0; p < literals.length; p++) {
            char c = literals[p];
            if ((allStars & bit(p)) != 0) {
                continue;
            }
            foldedLiterals[p] = fold(c);
            if (c < 128) {
                ascii[c] |= bit(p);
                if (ignoreCase) {
                    ascii[Character.toLowerCase(c)] |= bit(p);
                    ascii[Character.toUpperCase(c)] |= bit(p);
                }
            }
        }
    }

    private static long bit(int p) {
        return p >= 64 ? 0 : 1L << p;
    }

    private char fold(char c) {
        return ignoreCase ? Character.toLowerCase(Character.toUpperCase(c)) : c;
    }

    public boolean matches(String text) {
        if (fallback != null) {
            return fallback.matches(text);
        }
        long states = close(1L);
        for (int i = 0; i < text.length() && states != 0; i++) {
            char c = text.charAt(i);
            long literal = c < 128 && !(ignoreCase && Character.toLowerCase(c) >= 128) ? ascii[c] : slowLiterals(c);
            long stay = (c == '/' || c == ':') ? anyStars : allStars;
            states = close(((states & literal) << 1) | (states & stay));
        }
        return (states & (1L << accept)) != 0;
    }

    /** A star may match nothing: a state before a star is also a state after it. */
    private long close(long states) {
        long previous;
        do {
            previous = states;
            states |= (states & allStars) << 1;
        } while (states != previous);
        return states;
    }

    private long slowLiterals(char c) {
        long out = 0;
        char folded = fold(c);
        for (int p = 0; p < literals.length; p++) {
            if ((allStars & bit(p)) == 0 && (ignoreCase ? foldedLiterals[p] == folded : literals[p] == c)) {
                out |= bit(p);
            }
        }
        return out;
    }
}
