package io.github.ephemeralcredentials.core.policy;

/**
 * Text from a policy file, a token or a request made safe to show a person in a terminal or a CI log, the one rule
 * every host's human output uses: characters that steer the reader rather than read as text are written as escapes.
 * That is every control character (C0 with {@code \n}, {@code \r}, {@code \t} as those, DEL, and C1 such as
 * U+009B, a one-byte CSI), every line or paragraph separator, and every format character (the bidi controls such as
 * U+202E that reorder what is shown, zero-width characters, tag characters), plus unpaired surrogates. Everything
 * else, letters of every script included, is kept, so the text stays readable; backslashes are left alone.
 */
public final class DisplayText {

    private DisplayText() {
    }

    /** @return {@code text} with steering characters as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX} */
    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        while (i < text.length() && !steers(text, i)) {
            i += Character.charCount(text.codePointAt(i));
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int width = Character.charCount(cp);
            if (!steers(text, i)) {
                out.appendCodePoint(cp);
            } else if (cp == '\n') {
                out.append("\\n");
            } else if (cp == '\r') {
                out.append("\\r");
            } else if (cp == '\t') {
                out.append("\\t");
            } else {
                for (int k = i; k < i + width; k++) {
                    out.append(String.format("\\u%04x", (int) text.charAt(k)));
                }
            }
            i += width;
        }
        return out.toString();
    }

    private static boolean steers(String text, int index) {
        int cp = text.codePointAt(index);
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }
}
