package io.github.ephemeralcredentials.demo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A step's stdout as the job's log shows it: workflow commands applied (masks registered and hidden, errors and
 * warnings labelled, groups as titles, debug hidden, nothing between {@code ::stop-commands::} and its token taken as
 * a command) and every masked value replaced by {@code ***}, as the runner does before a line is stored.
 */
final class RunnerLog {

    private RunnerLog() {
    }

    /** The log lines the runner would show, and the values it would mask. */
    record Rendered(List<String> lines, Set<String> masks) {
    }

    static Rendered render(String stdout) {
        Set<String> masks = new TreeSet<>(Comparator.comparingInt(String::length).reversed()
                .thenComparing(Comparator.naturalOrder()));
        List<String> shown = new ArrayList<>();
        String stopToken = null;
        for (String line : stdout.split("\r?\n", -1)) {
            String trimmed = trimStart(line);
            if (stopToken != null) {
                if (trimmed.equals("::" + stopToken + "::")) {
                    stopToken = null;
                } else {
                    shown.add(line);
                }
                continue;
            }
            if (!trimmed.startsWith("::")) {
                shown.add(line);
                continue;
            }
            int end = trimmed.indexOf("::", 2);
            if (end < 0) {
                shown.add(line);
                continue;
            }
            String command = trimmed.substring(2, end).split(" ", 2)[0];
            String data = unescape(trimmed.substring(end + 2));
            switch (command) {
                case "add-mask" -> {
                    if (!data.isBlank()) {
                        masks.add(data);
                        data.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(masks::add);
                    }
                }
                case "stop-commands" -> stopToken = data;
                case "error" -> shown.add("Error: " + data);
                case "warning" -> shown.add("Warning: " + data);
                case "notice" -> shown.add("Notice: " + data);
                case "group" -> shown.add(data);
                default -> {
                    // endgroup, debug (hidden without ACTIONS_STEP_DEBUG), echo, and retired commands: nothing shown.
                }
            }
        }
        while (!shown.isEmpty() && shown.get(shown.size() - 1).isEmpty()) {
            shown.remove(shown.size() - 1);
        }
        List<String> masked = new ArrayList<>();
        for (String line : shown) {
            for (String secret : masks) {
                line = line.replace(secret, "***");
            }
            masked.addAll(List.of(line.split("\n", -1)));
        }
        return new Rendered(masked, masks);
    }

    /** .NET's {@code TrimStart()}: every Unicode white space, not just Java's {@code strip()} set. */
    private static String trimStart(String line) {
        int i = 0;
        while (i < line.length() && (Character.isWhitespace(line.charAt(i)) || Character.isSpaceChar(line.charAt(i))
                || line.charAt(i) == '\u0085')) {
            i++;
        }
        return line.substring(i);
    }

    private static String unescape(String data) {
        return data.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    }
}
