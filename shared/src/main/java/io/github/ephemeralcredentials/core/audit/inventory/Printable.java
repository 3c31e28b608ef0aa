package io.github.ephemeralcredentials.core.audit.inventory;

/**
 * Audit values are written by many hosts and carry attacker-chosen claims: before one reaches a terminal, each
 * control character, format character (the bidi overrides among them), line or paragraph separator and every space
 * other than U+0020 is shown as a {@code \\uXXXX} escape, so a value can neither move the cursor, reorder what
 * follows, nor pose as another value.
 */
public final class Printable {

    private Printable() {
    }

    public static String of(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || (type == Character.SPACE_SEPARATOR && c != ' ')
                    || type == Character.UNASSIGNED || type == Character.PRIVATE_USE || type == Character.SURROGATE) {
                out.append(c > 0xFFFF ? String.format("\\U%08X", c) : String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** {@link #of} cut to {@code max} code points with an ellipsis, for a table cell. */
    public static String cell(String text, int max) {
        String clean = of(text);
        int length = clean.codePointCount(0, clean.length());
        return length <= max ? clean : clean.substring(0, clean.offsetByCodePoints(0, max - 1)) + "…";
    }
}
