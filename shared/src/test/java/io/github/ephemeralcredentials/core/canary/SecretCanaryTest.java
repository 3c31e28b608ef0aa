package io.github.ephemeralcredentials.core.canary;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The canary must be able to fail: each channel it watches is shown to catch a leak. */
class SecretCanaryTest {

    @Test
    void catchesALeakInEveryChannel() {
        try (SecretCanary canary = SecretCanary.start()) {
            String secret = canary.secret("self-test");
            SecretCanary.Outcome<String> clean = canary.attempt(() -> "ok");
            canary.check("clean", clean, null);

            assertThatThrownBy(() -> canary.check("value", canary.attempt(() -> "v=" + secret), null))
                    .hasMessageContaining("path 'value' leaked");
            assertThatThrownBy(() -> canary.check("cause", canary.attempt(() -> {
                throw new IllegalStateException("outer", new RuntimeException("inner " + secret));
            }), null)).hasMessageContaining("path 'cause' leaked");
            assertThatThrownBy(() -> canary.check("extra", clean, null,
                    Base64.getEncoder().encodeToString(secret.getBytes()))).hasMessageContaining("leaked");
            Logger.getLogger("some.library").fine("debug " + secret);
            assertThatThrownBy(() -> canary.check("log", clean, null)).hasMessageContaining("path 'log' leaked");
        }
    }

    @Test
    void catchesALeakOnTheConsole() {
        try (SecretCanary canary = SecretCanary.start()) {
            String secret = canary.secret("console");
            System.err.println("oops " + secret);
            assertThatThrownBy(() -> canary.check("console", canary.attempt(() -> "ok"), null))
                    .hasMessageContaining("leaked");
        }
    }
}
