package io.github.ephemeralcredentials.service.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryStateTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));

    @Test
    void aKeyIsFirstUsedOnceUntilItsTtlEnds() {
        MemoryState state = new MemoryState(clock);

        assertThat(state.firstUse("jti-1|aud", TTL)).isTrue();
        assertThat(state.firstUse("jti-1|aud", TTL)).isFalse();
        assertThat(state.firstUse("jti-2|aud", TTL)).as("another key is not affected").isTrue();

        clock.advance(TTL.minusMillis(1));
        assertThat(state.firstUse("jti-1|aud", TTL)).as("one millisecond before expiry").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(state.firstUse("jti-1|aud", TTL)).as("at expiry").isTrue();
        assertThat(state.firstUse("jti-1|aud", TTL)).as("recorded again").isFalse();
    }

    @Test
    void recordedSeesAKeyUntilItsTtlEndsWithoutRecordingOne() {
        MemoryState state = new MemoryState(clock);

        assertThat(state.recorded("revoked:jti-1")).isFalse();
        assertThat(state.firstUse("revoked:jti-1", TTL)).as("looking did not record it").isTrue();
        assertThat(state.recorded("revoked:jti-1")).isTrue();
        clock.advance(TTL);
        assertThat(state.recorded("revoked:jti-1")).isFalse();
    }

    @Test
    void aKeptValueIsTakenOnceAndGoneAtItsTtl() {
        MemoryState state = new MemoryState(clock);

        state.keep("issued:a", "sealed-1", TTL);
        state.keep("issued:a", "sealed-2", TTL);
        assertThat(state.take("issued:a")).as("the last value kept").contains("sealed-2");
        assertThat(state.take("issued:a")).as("taken once").isEmpty();

        state.keep("issued:b", "sealed-3", TTL);
        clock.advance(TTL);
        assertThat(state.take("issued:b")).isEmpty();
    }

    @Test
    void keptValuesAreCappedAndTakingMakesRoom() {
        MemoryState state = new MemoryState(clock, 2);
        state.keep("a", "1", TTL);
        state.keep("b", "2", TTL);
        assertThatThrownBy(() -> state.keep("c", "3", TTL)).isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("revocable credentials");
        assertThat(state.take("a")).contains("1");
        state.keep("c", "3", TTL);
        assertThat(state.take("c")).contains("3");
    }

    @Test
    void aSubMillisecondTtlStillRecordsTheKey() {
        MemoryState state = new MemoryState(clock);

        assertThat(state.firstUse("k", Duration.ofNanos(1))).isTrue();
        assertThat(state.firstUse("k", Duration.ofNanos(1))).isFalse();
    }

    @Test
    void theRateLimitAllowsLimitRequestsPerWindowAndThenRefuses() {
        MemoryState state = new MemoryState(clock);

        for (int i = 1; i <= 3; i++) {
            assertThat(state.withinLimit("subject:a", 3, WINDOW)).as("request %d", i).isTrue();
        }
        assertThat(state.withinLimit("subject:a", 3, WINDOW)).as("request 4").isFalse();
        assertThat(state.withinLimit("subject:b", 3, WINDOW)).as("another bucket").isTrue();

        clock.advance(WINDOW.minusMillis(1));
        assertThat(state.withinLimit("subject:a", 3, WINDOW)).as("still the same window").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(state.withinLimit("subject:a", 3, WINDOW))
                .as("a new window: the last minute still holds the previous window's 3").isFalse();
        clock.advance(WINDOW.dividedBy(3));
        assertThat(state.withinLimit("subject:a", 3, WINDOW)).as("a third in: 3 x 2/3 = 2 still count").isTrue();
        assertThat(state.withinLimit("subject:a", 3, WINDOW)).as("2 + 1 counted").isFalse();
        clock.advance(WINDOW.multipliedBy(2));
        for (int i = 1; i <= 3; i++) {
            assertThat(state.withinLimit("subject:a", 3, WINDOW)).as("two windows later, request %d", i).isTrue();
        }
        assertThat(state.withinLimit("subject:a", 3, WINDOW)).as("two windows later, request 4").isFalse();
    }

    @Test
    void noBurstAcrossAWindowBoundaryAndAJobRetryingTooFastStillGetsItsShare() {
        MemoryState state = new MemoryState(clock);
        // A fixed window would admit 3 just before the boundary and 3 more just after it.
        clock.advance(WINDOW.minusSeconds(1));
        for (int i = 1; i <= 3; i++) {
            assertThat(state.withinLimit("subject:a", 3, WINDOW)).isTrue();
        }
        clock.advance(Duration.ofSeconds(2));
        assertThat(state.withinLimit("subject:a", 3, WINDOW)).as("two seconds later, across the boundary").isFalse();

        // Four tries a window for ten windows against a limit of three. Refused tries do not count, so the job keeps
        // getting some through (counting them, it would get 3 in all); and never more than the limit a window. The
        // rule assumes the previous window's requests were spread evenly, so it admits about two a window here.
        MemoryState fresh = new MemoryState(clock);
        int admitted = 0;
        for (int i = 0; i < 40; i++) {
            admitted += fresh.withinLimit("subject:eager", 3, WINDOW) ? 1 : 0;
            clock.advance(WINDOW.dividedBy(4));
        }
        assertThat(admitted).isBetween(20, 30);
    }

    @Test
    void whenFullANewKeyIsRefusedAndNoLiveKeyIsForgotten() {
        MemoryState state = new MemoryState(clock, 3);
        state.firstUse("a", TTL);
        clock.advance(Duration.ofMinutes(1));
        state.firstUse("b", TTL);
        state.firstUse("c", TTL);

        assertThatThrownBy(() -> state.firstUse("d", TTL))
                .isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("maximum of 3 unexpired replay keys")
                .hasMessageContaining("redis://");
        assertThat(state.firstUse("a", TTL)).as("a live key is still known when full").isFalse();
        assertThat(state.firstUse("c", TTL)).isFalse();

        clock.advance(Duration.ofMinutes(4));
        assertThat(state.firstUse("d", TTL)).as("room again once 'a' expired").isTrue();
        assertThat(state.firstUse("b", TTL)).as("'b' has not expired").isFalse();
        assertThatThrownBy(() -> state.firstUse("e", TTL)).isInstanceOf(StateUnavailableException.class);

        clock.advance(TTL);
        for (String key : List.of("e", "f", "g")) {
            assertThat(state.firstUse(key, TTL)).as("every expired entry was purged: %s", key).isTrue();
        }
    }

    @Test
    void whenFullANewBucketIsRefusedAndExpiredBucketsMakeRoom() {
        MemoryState state = new MemoryState(clock, 2);
        state.withinLimit("x", 1, WINDOW);
        state.withinLimit("y", 1, WINDOW);

        assertThatThrownBy(() -> state.withinLimit("z", 1, WINDOW))
                .isInstanceOf(StateUnavailableException.class)
                .hasMessageContaining("maximum of 2 unexpired rate-limit buckets");
        assertThat(state.withinLimit("x", 1, WINDOW)).as("a known bucket still counts when full").isFalse();
        assertThat(state.firstUse("replay keys have their own cap", TTL)).isTrue();

        clock.advance(WINDOW);
        assertThatThrownBy(() -> state.withinLimit("z", 1, WINDOW)).as("a window's count weighs until the next ends")
                .isInstanceOf(StateUnavailableException.class);
        clock.advance(WINDOW);
        assertThat(state.withinLimit("z", 1, WINDOW)).isTrue();
        assertThat(state.withinLimit("x", 1, WINDOW)).isTrue();
    }

    @Test
    void concurrentFirstUsesOfOneKeyGiveExactlyOneTrue() throws Exception {
        MemoryState state = new MemoryState(clock);
        int threads = 32;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 100; round++) {
                String key = "jti-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Callable<Boolean>> calls = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    calls.add(() -> {
                        start.await();
                        return state.firstUse(key, TTL);
                    });
                }
                List<Future<Boolean>> results = new ArrayList<>();
                for (Callable<Boolean> call : calls) {
                    results.add(pool.submit(call));
                }
                start.countDown();
                int firsts = 0;
                for (Future<Boolean> result : results) {
                    firsts += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(firsts).as("round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentRequestsInOneBucketAreAllCounted() throws Exception {
        MemoryState state = new MemoryState(clock);
        int threads = 16;
        int perThread = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    int allowed = 0;
                    for (int i = 0; i < perThread; i++) {
                        allowed += state.withinLimit("busy", 100, WINDOW) ? 1 : 0;
                    }
                    return allowed;
                }));
            }
            start.countDown();
            int allowed = 0;
            for (Future<Integer> result : results) {
                allowed += result.get(10, TimeUnit.SECONDS);
            }
            assertThat(allowed).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badArgumentsSayWhatToPass() {
        MemoryState state = new MemoryState(clock);

        assertThatThrownBy(() -> state.firstUse("k", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> state.firstUse("k", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> state.withinLimit("b", 0, WINDOW))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> state.withinLimit("b", 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window must be positive");
        assertThatThrownBy(() -> new MemoryState(clock, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFullErrorNeverNamesTheKey() {
        String canary = "ghp_CANARY" + "x9Q2mZ7rT4vL8kW1nB6cJ3hF5dS0aE";
        MemoryState state = new MemoryState(clock, 1);
        state.firstUse("filler", TTL);
        state.withinLimit("filler", 1, WINDOW);

        assertThatThrownBy(() -> state.firstUse(canary, TTL)).isInstanceOf(StateUnavailableException.class)
                .satisfies(e -> assertThat(Canary.everythingPrinted(e)).doesNotContain(canary));
        assertThatThrownBy(() -> state.withinLimit(canary, 1, WINDOW)).isInstanceOf(StateUnavailableException.class)
                .satisfies(e -> assertThat(Canary.everythingPrinted(e)).doesNotContain(canary));
        assertThat(state.toString()).doesNotContain(canary).doesNotContain("filler");
    }
}
