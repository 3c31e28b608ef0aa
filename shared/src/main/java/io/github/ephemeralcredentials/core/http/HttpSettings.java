package io.github.ephemeralcredentials.core.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the core talks HTTP: bounded timeouts everywhere, because a CI step that hangs on a dead endpoint
 * holds a runner and the job's own token keeps ageing.
 *
 * @param connectTimeout TCP + TLS connect
 * @param readTimeout    between bytes
 * @param callTimeout    the whole call including redirects and body
 */
public record HttpSettings(Duration connectTimeout, Duration readTimeout, Duration callTimeout) {

    public static final HttpSettings DEFAULT =
            new HttpSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));

    public HttpSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (connectTimeout.isNegative() || readTimeout.isNegative() || callTimeout.isNegative()
                || connectTimeout.isZero() || readTimeout.isZero() || callTimeout.isZero()) {
            throw new IllegalArgumentException("HTTP timeouts must be positive; zero would mean 'wait forever'");
        }
    }
}
