package io.github.ephemeralcredentials.action;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code $GITHUB_ENV} / {@code $GITHUB_OUTPUT} / {@code $GITHUB_STATE} file the way the runner does after
 * the step (actions/runner {@code src/Runner.Worker/FileCommandManager.cs}, {@code SetEnvFileCommand}): lines
 * split on LF (on Windows runners also CRLF), empty lines skipped, {@code NAME=VALUE} when {@code =} comes before
 * any {@code <<}, else {@code NAME<<DELIMITER} followed by value lines up to a line equal to the delimiter, the
 * value being the text between them without the final newline; a missing delimiter is an error. Later records win.
 */
public final class RunnerFileCommands {

    private RunnerFileCommands() {
    }

    public static Map<String, String> read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), false);
    }

    public static Map<String, String> parse(String text, boolean windows) {
        Map<String, String> values = new LinkedHashMap<>();
        Cursor cursor = new Cursor(text, windows);
        String line;
        while ((line = cursor.readLine()) != null) {
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            int heredoc = line.indexOf("<<");
            if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
                String name = line.substring(0, equals);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("Invalid format '" + line + "': empty name");
                }
                values.put(name, line.substring(equals + 1));
            } else if (heredoc >= 0) {
                String name = line.substring(0, heredoc);
                String delimiter = line.substring(heredoc + 2);
                if (name.isEmpty() || delimiter.isEmpty()) {
                    throw new IllegalArgumentException("Invalid format '" + line + "': empty name or delimiter");
                }
                int start = cursor.index;
                int end = cursor.index;
                String valueLine = cursor.readLine();
                while (!delimiter.equals(valueLine)) {
                    if (valueLine == null) {
                        throw new IllegalArgumentException("Matching delimiter not found '" + delimiter + "'");
                    }
                    end = cursor.index - cursor.newline.length();
                    valueLine = cursor.readLine();
                }
                values.put(name, end > start ? text.substring(start, end) : "");
            } else {
                throw new IllegalArgumentException("Invalid format '" + line + "'");
            }
        }
        return values;
    }

    private static final class Cursor {
        final String text;
        final boolean windows;
        int index;
        String newline = "";

        Cursor(String text, boolean windows) {
            this.text = text;
            this.windows = windows;
        }

        String readLine() {
            if (index >= text.length()) {
                newline = "";
                return null;
            }
            int from = index;
            int lf = text.indexOf('\n', from);
            if (lf < 0) {
                index = text.length();
                newline = "";
                return text.substring(from);
            }
            int crlf = text.indexOf("\r\n", from);
            if (windows && crlf >= 0 && crlf < lf) {
                index = crlf + 2;
                newline = "\r\n";
                return text.substring(from, crlf);
            }
            index = lf + 1;
            newline = "\n";
            return text.substring(from, lf);
        }
    }
}
