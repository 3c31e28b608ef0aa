package io.github.ephemeralcredentials.action;

import java.util.ArrayList;
import java.util.List;

/**
 * The runner's reading of a step's stdout (actions/runner {@code ActionCommandManager}, see GITHUB-ACTIONS.md):
 * lines end at {@code \n} only (a {@code \r} before it is dropped); a line is a command when, after .NET's
 * {@code TrimStart()} (every Unicode white space, U+00A0, U+2007 and U+202F included, unlike Java's
 * {@code strip()}), it starts with {@code ::}, or when it holds the legacy {@code ##[} anywhere; after
 * {@code ::stop-commands::TOKEN} nothing is, until the line {@code ::TOKEN::}.
 */
final class RunnerStdout {

    private RunnerStdout() {
    }

    /** The commands the runner would run, each as its name. */
    static List<String> commands(String stdout) {
        List<String> ran = new ArrayList<>();
        String resume = null;
        for (String line : lines(stdout)) {
            String trimmed = trimStart(line);
            if (resume != null) {
                if (trimmed.strip().equals("::" + resume + "::")) {
                    resume = null;
                }
            } else if (trimmed.startsWith("::stop-commands::")) {
                resume = trimmed.substring("::stop-commands::".length()).strip();
            } else if (trimmed.startsWith("::")) {
                int end = trimmed.indexOf("::", 2);
                ran.add(end < 0 ? trimmed.substring(2) : trimmed.substring(2, end).split(" ")[0]);
            } else if (line.contains("##[")) {
                ran.add(line.substring(line.indexOf("##[") + 3).split("[] ]")[0]);
            }
        }
        return ran;
    }

    /** Lines as the runner splits them: at {@code \n}, with a {@code \r} before it dropped; nothing else breaks one. */
    static List<String> lines(String stdout) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = stdout.indexOf('\n'); i >= 0; i = stdout.indexOf('\n', start)) {
            int end = i > start && stdout.charAt(i - 1) == '\r' ? i - 1 : i;
            lines.add(stdout.substring(start, end));
            start = i + 1;
        }
        if (start < stdout.length()) {
            lines.add(stdout.substring(start));
        }
        return lines;
    }

    /** .NET {@code char.IsWhiteSpace}: the space, line and paragraph separators, U+0009–U+000D and U+0085. */
    static boolean dotNetWhiteSpace(char c) {
        return Character.isSpaceChar(c) || (c >= '\t' && c <= '\r') || c == '\u0085';
    }

    static String trimStart(String line) {
        int i = 0;
        while (i < line.length() && dotNetWhiteSpace(line.charAt(i))) {
            i++;
        }
        return line.substring(i);
    }

    /** Every character .NET's {@code TrimStart()} removes, and every character some reader takes for a line break. */
    static final String SPACES_AND_BREAKS;

    static {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3001; c++) {
            if (dotNetWhiteSpace(c) || Character.isWhitespace(c)) {
                all.append(c);
            }
        }
        all.append('\uFEFF').append('\u200B');
        SPACES_AND_BREAKS = all.toString();
    }
}
