package io.github.ephemeralcredentials.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a step's {@code GITHUB_ENV} / {@code GITHUB_OUTPUT} / {@code GITHUB_STATE} file as the runner does after the
 * step: {@code NAME<<DELIMITER} … {@code DELIMITER} blocks, and {@code NAME=VALUE} lines where {@code =} comes before
 * any {@code <<}; lines end at LF, with a CR before it dropped.
 */
final class FileCommands {

    private FileCommands() {
    }

    static Map<String, String> read(Path file) throws IOException {
        List<String> lines = List.of(Files.readString(file, StandardCharsets.UTF_8).split("\r?\n", -1));
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            int heredoc = line.indexOf("<<");
            int equals = line.indexOf('=');
            if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
                continue;
            }
            if (heredoc < 0) {
                throw new IOException(file.getFileName() + ": line " + (i + 1) + " is neither NAME=VALUE nor NAME<<DELIMITER");
            }
            String delimiter = line.substring(heredoc + 2);
            StringBuilder value = new StringBuilder();
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).equals(delimiter)) {
                value.append(end > i + 1 ? "\n" : "").append(lines.get(end));
                end++;
            }
            if (end == lines.size()) {
                throw new IOException(file.getFileName() + ": the value of " + line.substring(0, heredoc)
                        + " has no closing delimiter");
            }
            values.put(line.substring(0, heredoc), value.toString());
            i = end;
        }
        return values;
    }
}
