package io.github.ephemeralcredentials.core.policy;

import java.util.List;

/**
 * An exported trust configuration.
 *
 * @param document the provider-side configuration (JSON)
 * @param warnings what the provider will not check that the engine does (only with {@code lossy}), and notes
 */
public record ExportResult(String document, List<String> warnings) {

    public ExportResult {
        warnings = List.copyOf(warnings);
    }
}
