package io.github.ephemeralcredentials.core.policy;

import com.google.re2j.Pattern;

/**
 * Policy globs, compiled to RE2J so matching is linear in the claim's length. {@code *} never crosses {@code /}
 * or {@code :} (the separators of repository paths and {@code sub} claims), {@code **} crosses anything; every
 * other character, {@code ?} and {@code [} included, is literal.
 */
final class GlobSyntax {

    private GlobSyntax() {
    }

    static Pattern compile(String glob, boolean ignoreCase) {
        return Pattern.compile(toRegex(glob), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
    }

    /** The RE2 syntax for a glob, anchoring left to the caller ({@code matches} is whole-value). */
    static String toRegex(String glob) {
        StringBuilder regex = new StringBuilder(glob.length() + 16);
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*') {
                flush(literal, regex);
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i += 2;
                    while (i < glob.length() && glob.charAt(i) == '*') {
                        i++;
                    }
                } else {
                    regex.append("[^/:]*");
                    i++;
                }
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, regex);
        return regex.toString();
    }

    /** True when the glob has no wildcard at all. */
    static boolean isLiteral(String glob) {
        return glob.indexOf('*') < 0;
    }

    /** True when every wildcard in the glob is {@code **}. */
    static boolean onlyDoubleStars(String glob) {
        for (int i = 0; i < glob.length(); i++) {
            if (glob.charAt(i) == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        i++;
                    }
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private static void flush(StringBuilder literal, StringBuilder regex) {
        if (literal.length() > 0) {
            regex.append(Pattern.quote(literal.toString()));
            literal.setLength(0);
        }
    }
}
