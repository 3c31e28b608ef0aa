package io.github.ephemeralcredentials.action;

import java.io.PrintStream;
import java.util.Objects;
import java.util.UUID;

/**
 * Workflow commands on the step's stdout ({@code ::name::data}), which the runner reads line by line.
 *
 * <p>Data is escaped as the runner unescapes it ({@code %} first, then CR and LF), so a value can never end the
 * command early or smuggle a second command onto a new line.
 */
public final class WorkflowCommands {

    private final PrintStream out;

    public WorkflowCommands(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /**
     * Registers a secret with the runner's masker. The runner masks the whole value and its trimmed lines, but a
     * line is masked on its own only from the moment it is registered, so each line of a multi-line secret (a PEM
     * key, a JSON key file) is registered explicitly too. Blank values are skipped: the runner would only warn.
     */
    public void addMask(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        command("add-mask", secret);
        if (secret.indexOf('\n') >= 0 || secret.indexOf('\r') >= 0) {
            for (String line : secret.split("\\r\\n|\\r|\\n")) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty()) {
                    command("add-mask", trimmed);
                }
            }
        }
    }

    public void group(String title) {
        command("group", title);
    }

    public void endGroup() {
        command("endgroup", "");
    }

    public void error(String message) {
        command("error", message);
    }

    public void warning(String message) {
        command("warning", message);
    }

    /** Shown only when the repository sets {@code ACTIONS_STEP_DEBUG=true}. */
    public void debug(String message) {
        command("debug", message);
    }

    /**
     * Plain log lines, which the runner never reads as a command: text that could be one (a claim value is chosen by
     * whoever triggered the workflow) is printed between {@code ::stop-commands::} and its resume token. A line
     * holding {@code ::} or {@code ##[} anywhere counts: the runner trims a line with .NET's {@code TrimStart()},
     * which removes more than Java's {@code strip()} (U+00A0, U+2007, U+202F), before it looks for {@code ::}, and
     * finds the legacy {@code ##[} anywhere. Lines break only where the runner breaks them ({@code \r\n},
     * {@code \r}, {@code \n}), so U+2028, U+0085, VT and FF stay inside their line as the runner sees it.
     */
    public void info(String message) {
        String[] lines = message.split("\r\n|\r|\n", -1);
        boolean couldBeCommand = false;
        for (String line : lines) {
            couldBeCommand |= line.contains("::") || line.contains("##[");
        }
        String resume = couldBeCommand ? "resume-" + UUID.randomUUID() : null;
        StringBuilder text = new StringBuilder();
        if (resume != null) {
            text.append("::stop-commands::").append(resume).append('\n');
        }
        for (String line : lines) {
            text.append(line).append('\n');
        }
        if (resume != null) {
            text.append("::").append(resume).append("::\n");
        }
        out.print(text);
        out.flush();
    }

    private void command(String name, String data) {
        out.print("::" + name + "::" + escapeData(data) + "\n");
        out.flush();
    }

    /** The runner's data escaping: {@code %} → {@code %25}, CR → {@code %0D}, LF → {@code %0A}. */
    public static String escapeData(String value) {
        return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }
}
