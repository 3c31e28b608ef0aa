package io.github.ephemeralcredentials.service.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SharedStatesTest {

    private static final String SECRET = "s3cr3t-CANARY-pw";
    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));

    @Test
    void memoryOpensAStoreOnTheGivenClock() {
        try (SharedState state = SharedStates.open(" memory ", clock)) {
            assertThat(state).isInstanceOf(MemoryState.class);
            assertThat(state.firstUse("k", Duration.ofSeconds(10))).isTrue();
            clock.advance(Duration.ofSeconds(10));
            assertThat(state.firstUse("k", Duration.ofSeconds(10))).as("expired on the given clock").isTrue();
        }
    }

    @Test
    void aRedisUriOpensARedisStoreWithoutConnectingYet() {
        // Port 1 on loopback: nothing listens, and opening must not need it to.
        try (SharedState state = SharedStates.open("redis://127.0.0.1:1/3", clock)) {
            assertThat(state).isInstanceOf(RedisState.class)
                    .hasToString("RedisState[redis://127.0.0.1:1/3, prefix ec:, timeout 250 ms]");
            assertThat(state.healthy()).isFalse();
        }
        try (SharedState state = SharedStates.open("REDISS://user:" + SECRET + "@cache.example:6380", clock)) {
            assertThat(state.toString()).isEqualTo("RedisState[rediss://cache.example:6380/0, prefix ec:, timeout 250 ms]");
        }
        try (SharedState state = SharedStates.open("redis://[::1]", clock)) {
            assertThat(state.toString()).startsWith("RedisState[redis://[::1]:6379/0,");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "Memory", "mem", "redis", "http://127.0.0.1:6379", "127.0.0.1:6379"})
    void anUnknownSpecSaysWhatToWrite(String spec) {
        assertThatThrownBy(() -> SharedStates.open(spec, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`memory`")
                .hasMessageContaining("redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]")
                .hasMessageContaining("rediss://");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "redis://:" + SECRET + "@127.0.0.1:notaport",
        "redis://:" + SECRET + "@127.0.0.1/db",
        "redis://:" + SECRET + "@127.0.0.1/99999999",
        "redis://:" + SECRET + "@127.0.0.1?timeout=1",
        "redis://:" + SECRET + "@127.0.0.1#x",
        "redis://" + SECRET + "@127.0.0.1",
        "redis://:" + SECRET + " x@127.0.0.1",
        "redis://:" + SECRET + "@",
        "redis://:" + SECRET + "@host_with_underscore",
        "rediz://:" + SECRET + "@127.0.0.1",
        "redis:" + SECRET + "@127.0.0.1",
    })
    void aBadRedisUriSaysWhatToWriteAndNeverShowsThePassword(String spec) {
        assertThatThrownBy(() -> SharedStates.open(spec, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]")
                .satisfies(e -> assertThat(Canary.everythingPrinted(e)).doesNotContain(SECRET));
    }

    @Test
    void aBadRedisUriSaysWhatIsWrongWithIt() {
        assertThatThrownBy(() -> SharedStates.open("redis://127.0.0.1/db", clock))
                .hasMessageContaining("redis://127.0.0.1/db").hasMessageContaining("database number");
        assertThatThrownBy(() -> SharedStates.open("redis://127.0.0.1?prefix=x", clock))
                .hasMessageContaining("query or fragment");
        assertThatThrownBy(() -> SharedStates.open("redis://" + SECRET + "@127.0.0.1", clock))
                .hasMessageContaining("redis://***@127.0.0.1").hasMessageContaining(":PASSWORD@");
        assertThatThrownBy(() -> SharedStates.open("redis://:a b@127.0.0.1", clock))
                .hasMessageContaining("not a valid URI").hasMessageContaining("percent-encode");
    }

    @Test
    void aPercentEncodedPasswordIsAccepted() {
        try (SharedState state = SharedStates.open("redis://:p%40ss%3Aword@127.0.0.1:1", clock)) {
            assertThat(state.toString()).doesNotContain("p%40ss").doesNotContain("p@ss");
        }
    }
}
