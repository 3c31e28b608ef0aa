package io.github.ephemeralcredentials.service.state;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Objects;

/** Opens the store a configuration names. */
public final class SharedStates {

    /** The one spec that is not a URI. */
    public static final String MEMORY = "memory";

    private static final String FORMS = "the state store must be `" + MEMORY + "` (exactly one replica) or, for "
            + "replicas that share it, " + RedisState.URI_FORM;

    private SharedStates() {
    }

    /**
     * @param spec {@code memory} for a {@link MemoryState}; {@code redis://…} or {@code rediss://…} for a
     *     {@link RedisState} with its default prefix and timeout
     * @param clock what a {@link MemoryState} measures expiry with (Redis keeps its own time)
     * @throws IllegalArgumentException naming the forms to write; the spec's user-info (a password) is never shown
     */
    public static SharedState open(String spec, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(FORMS + "; got nothing");
        }
        String trimmed = spec.strip();
        if (trimmed.equals(MEMORY)) {
            return new MemoryState(clock);
        }
        if (startsWithIgnoreCase(trimmed, "redis://") || startsWithIgnoreCase(trimmed, "rediss://")) {
            URI uri;
            try {
                uri = new URI(trimmed);
            } catch (URISyntaxException e) {
                // Not e.getMessage(): it quotes the whole input, password included.
                throw new IllegalArgumentException(FORMS + "; got " + shown(trimmed) + ", which is not a valid URI "
                        + "(percent-encode reserved characters in the password, e.g. %40 for @)", null);
            }
            return new RedisState(uri);
        }
        throw new IllegalArgumentException(FORMS + "; got " + shown(trimmed));
    }

    private static boolean startsWithIgnoreCase(String text, String prefix) {
        return text.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    /** The spec with anything that may be a password (the user-info before the last '@') masked. */
    private static String shown(String spec) {
        int at = spec.lastIndexOf('@');
        String shown;
        if (at < 0) {
            shown = spec;
        } else {
            int authority = spec.indexOf("://");
            shown = authority < 0 || authority > at
                    ? "a value with '@' (not shown: it may hold a password)"
                    : spec.substring(0, authority + 3) + "***" + spec.substring(at);
        }
        return shown.length() > 120 ? shown.substring(0, 120) + "…" : shown;
    }
}
