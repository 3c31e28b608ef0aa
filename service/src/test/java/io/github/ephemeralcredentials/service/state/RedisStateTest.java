package io.github.ephemeralcredentials.service.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Against a real redis-server; two {@link RedisState}s on one server stand for two replicas. */
class RedisStateTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration WINDOW = Duration.ofMinutes(1);
    /** What "fails quickly" means: several times the 250 ms timeout, far below a hang. */
    private static final Duration QUICKLY = Duration.ofSeconds(2);
    private static final String CANARY = "ghp_CANARY" + "x9Q2mZ7rT4vL8kW1nB6cJ3hF5dS0aE";

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private RedisServer server;

    @BeforeEach
    void startRedis() {
        server = RedisServer.start();
    }

    @AfterEach
    void stopRedis() throws Exception {
        for (AutoCloseable closeable : closeAfter) {
            closeable.close();
        }
        server.close();
    }

    @Test
    void aTokenExchangedOnOneReplicaIsRefusedOnTheOther() {
        RedisState one = replica();
        RedisState two = replica();

        assertThat(one.firstUse("jti-1|aud", TTL)).isTrue();
        assertThat(two.firstUse("jti-1|aud", TTL)).isFalse();
        assertThat(one.firstUse("jti-1|aud", TTL)).isFalse();
        assertThat(two.firstUse("jti-2|aud", TTL)).isTrue();
        assertThat(one.firstUse("jti-2|aud", TTL)).isFalse();
    }

    @Test
    void aKeyRecordedByOneReplicaIsSeenByTheOtherWithoutRecordingIt() {
        RedisState one = replica();
        RedisState two = replica();

        assertThat(two.recorded("revoked:jti-9")).isFalse();
        assertThat(one.firstUse("revoked:jti-9", TTL)).as("looking did not record it").isTrue();
        assertThat(two.recorded("revoked:jti-9")).isTrue();
    }

    @Test
    void aValueKeptByOneReplicaIsTakenOnceByTheOther() {
        RedisState one = replica();
        RedisState two = replica();

        one.keep("issued:x", "sealed", TTL);
        assertThat(two.take("issued:x")).contains("sealed");
        assertThat(one.take("issued:x")).isEmpty();
    }

    @Test
    void aKeyIsFirstUsedAgainOnceItsTtlEnds() {
        RedisState one = replica();
        RedisState two = replica();

        assertThat(one.firstUse("short", Duration.ofMillis(150))).isTrue();
        assertThat(two.firstUse("short", Duration.ofMillis(150))).isFalse();
        assertThat(eventually(() -> two.firstUse("short", TTL), Duration.ofSeconds(3)))
                .as("the key expired within 3 s of a 150 ms ttl").isTrue();
        assertThat(one.firstUse("short", TTL)).as("recorded again, now for 5 minutes").isFalse();
    }

    @Test
    void concurrentFirstUsesOnBothReplicasGiveExactlyOneTrue() throws Exception {
        RedisState one = replica();
        RedisState two = replica();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                String key = "jti-" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    RedisState replica = t % 2 == 0 ? one : two;
                    results.add(pool.submit(() -> {
                        start.await();
                        return replica.firstUse(key, TTL);
                    }));
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
    void theRateLimitIsSharedByBothReplicasAndResetsAfterTheWindow() {
        RedisState one = replica();
        RedisState two = replica();
        Duration window = Duration.ofMillis(400);

        assertThat(one.withinLimit("subject:a", 4, window)).isTrue();
        assertThat(two.withinLimit("subject:a", 4, window)).isTrue();
        assertThat(one.withinLimit("subject:a", 4, window)).isTrue();
        assertThat(two.withinLimit("subject:a", 4, window)).isTrue();
        assertThat(one.withinLimit("subject:a", 4, window)).as("fifth, on either replica").isFalse();
        assertThat(two.withinLimit("subject:a", 4, window)).isFalse();
        assertThat(two.withinLimit("subject:b", 4, window)).as("another bucket").isTrue();

        assertThat(eventually(() -> one.withinLimit("subject:a", 4, window), Duration.ofSeconds(3)))
                .as("the window ended: the counter expired").isTrue();
    }

    @Test
    void theCounterAlwaysGetsAnExpiryAndCountsOnlyAdmittedRequests() {
        // Windows are aligned to the epoch: one of 1,000 days keeps this test's requests in one window.
        Duration longWindow = Duration.ofDays(1000);
        RedisState one = replica();
        one.withinLimit("subject:a", 3, longWindow);
        one.withinLimit("subject:a", 3, longWindow);

        try (RedisClient raw = RedisClient.create(URI.create(server.uri()))) {
            Set<String> keys = raw.keys("ec:rate:*");
            assertThat(keys).hasSize(1);
            String key = keys.iterator().next();
            // A window's count weighs until the end of the next window.
            assertThat(raw.pttl(key)).isBetween(1L, 2 * longWindow.toMillis());
            // A count left without expiry (were a replica to die between commands) gets one on the bucket's next
            // request instead of blocking it forever.
            raw.persist(key);
            assertThat(one.withinLimit("subject:a", 3, longWindow)).isTrue();
            assertThat(raw.pttl(key)).isBetween(1L, 2 * longWindow.toMillis());
            for (int i = 0; i < 5; i++) {
                assertThat(one.withinLimit("subject:a", 3, longWindow)).as("over the limit").isFalse();
            }
            assertThat(raw.hget(key, "c")).as("refused requests are not counted").isEqualTo("3");
        }
    }

    @Test
    void redisHoldsDigestsUnderThePrefixInTheChosenDatabase() {
        RedisState state = track(new RedisState(URI.create(server.uri() + "/2"), "svc-a:", RedisState.DEFAULT_TIMEOUT));
        state.firstUse(CANARY + "|aud", TTL);
        state.withinLimit("subject:" + CANARY, 5, WINDOW);

        try (RedisClient db2 = RedisClient.create(URI.create(server.uri() + "/2"));
                RedisClient db0 = RedisClient.create(URI.create(server.uri()))) {
            assertThat(db2.keys("*")).hasSize(2).allSatisfy(key -> assertThat(key)
                    .matches("svc-a:(replay|rate):[A-Za-z0-9_-]{43}")
                    .doesNotContain(CANARY));
            assertThat(db0.keys("*")).as("nothing in database 0").isEmpty();
        }
        RedisState otherService = track(new RedisState(URI.create(server.uri() + "/2"), "svc-b:",
                RedisState.DEFAULT_TIMEOUT));
        assertThat(otherService.firstUse(CANARY + "|aud", TTL)).as("another prefix, another namespace").isTrue();
    }

    @Test
    void aStoppedRedisFailsEveryCallQuicklyAndTheStoreRecoversWhenItIsBack() {
        RedisState state = replica();
        assertThat(state.firstUse("before", TTL)).isTrue();
        assertThat(state.healthy()).isTrue();

        server.stop();
        assertFailsQuickly(() -> state.firstUse("during", TTL));
        assertFailsQuickly(() -> state.withinLimit("bucket", 5, WINDOW));
        assertThat(assertTimeoutPreemptively(QUICKLY, state::healthy)).isFalse();

        server.restart();
        assertThat(eventually(state::healthy, Duration.ofSeconds(5))).as("healthy again after the restart").isTrue();
        assertThat(state.firstUse("after", TTL)).isTrue();
        assertThat(state.firstUse("after", TTL)).isFalse();
        assertThat(state.withinLimit("bucket", 1, WINDOW)).isTrue();
        assertThat(state.withinLimit("bucket", 1, WINDOW)).isFalse();
    }

    @Test
    void aHungRedisFailsEveryCallWithinTheTimeoutInsteadOfHanging() {
        RedisState state = replica();
        assertThat(state.firstUse("before", TTL)).isTrue();

        server.pause();
        long start = System.nanoTime();
        assertFailsQuickly(() -> state.firstUse("during", TTL));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("it waited for the reply, up to the timeout: the server was paused, not gone")
                .isGreaterThanOrEqualTo(RedisState.DEFAULT_TIMEOUT.minusMillis(50));
        assertFailsQuickly(() -> state.withinLimit("bucket", 5, WINDOW));
        assertThat(assertTimeoutPreemptively(QUICKLY, state::healthy)).isFalse();
        RedisState fresh = replica();
        assertFailsQuickly(() -> fresh.firstUse("new connection", TTL));

        server.resume();
        assertThat(eventually(state::healthy, Duration.ofSeconds(5))).as("healthy again after SIGCONT").isTrue();
        assertThat(state.firstUse("before", TTL)).as("what it held before the pause").isFalse();
        assertThat(state.firstUse("after", TTL)).isTrue();
        assertThat(fresh.firstUse("after", TTL)).isFalse();
    }

    @Test
    void aStoreThatStartsBeforeRedisWorksOnceRedisIsUp() {
        server.stop();
        RedisState state = replica();
        assertThat(state.healthy()).isFalse();
        assertFailsQuickly(() -> state.firstUse("early", TTL));

        server.restart();
        assertThat(eventually(state::healthy, Duration.ofSeconds(5))).isTrue();
        assertThat(state.firstUse("early", TTL)).isTrue();
    }

    @Test
    void aPasswordFromTheUriIsUsedAndNeverShown() {
        String password = "pw-" + CANARY;
        server.close();
        server = RedisServer.start(password);

        RedisState right = track(new RedisState(URI.create("redis://:" + password + "@127.0.0.1:" + server.port())));
        assertThat(right.firstUse("k", TTL)).isTrue();
        assertThat(right.healthy()).isTrue();
        assertThat(right.toString()).doesNotContain(password).contains("127.0.0.1:" + server.port());

        RedisState wrong = track(new RedisState(URI.create("redis://default:wrong-" + CANARY + "@127.0.0.1:"
                + server.port())));
        assertThat(wrong.healthy()).isFalse();
        assertThatThrownBy(() -> wrong.firstUse("k", TTL))
                .isInstanceOf(StateUnavailableException.class)
                .satisfies(e -> assertThat(Canary.everythingPrinted(e)).contains("WRONGPASS").doesNotContain(CANARY));
        RedisState none = replica();
        assertThatThrownBy(() -> none.firstUse("k", TTL))
                .isInstanceOf(StateUnavailableException.class)
                .satisfies(e -> assertThat(Canary.everythingPrinted(e)).contains("NOAUTH"));
    }

    @Test
    void noFailureShowsTheKeyOrTheBucket() {
        RedisState state = replica();
        String key = "jti-" + CANARY + "|aud";
        String bucket = "subject:repo:" + CANARY;
        List<Throwable> failures = new ArrayList<>();

        server.pause();
        failures.add(failure(() -> state.firstUse(key, TTL)));
        failures.add(failure(() -> state.withinLimit(bucket, 5, WINDOW)));
        server.stop();
        failures.add(failure(() -> state.firstUse(key, TTL)));
        failures.add(failure(() -> state.withinLimit(bucket, 5, WINDOW)));

        assertThat(failures).hasSize(4).allSatisfy(e -> {
            assertThat(e).isInstanceOf(StateUnavailableException.class)
                    .hasMessageContaining("127.0.0.1:" + server.port());
            assertThat(Canary.everythingPrinted(e)).doesNotContain(CANARY);
        });
    }

    @Test
    void badConstructorArgumentsSayWhatToWrite() {
        URI uri = URI.create(server.uri());
        assertThatThrownBy(() -> new RedisState(uri, "ec:", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 ms and 60 s");
        assertThatThrownBy(() -> new RedisState(uri, "ec:", Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 ms and 60 s");
        assertThatThrownBy(() -> new RedisState(URI.create("http://127.0.0.1:6379")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://[[USER]:PASSWORD@]HOST");
    }

    private RedisState replica() {
        return track(new RedisState(URI.create(server.uri())));
    }

    private RedisState track(RedisState state) {
        closeAfter.add(state);
        return state;
    }

    private static void assertFailsQuickly(Runnable call) {
        assertThat(failure(call)).isInstanceOf(StateUnavailableException.class)
                .hasMessageStartingWith("Redis at 127.0.0.1:")
                .hasMessageContaining("refuses exchanges");
    }

    /** What {@code call} threw within {@link #QUICKLY}; a call that hangs fails the test instead of hanging it. */
    private static Throwable failure(Runnable call) {
        return assertTimeoutPreemptively(QUICKLY, () -> {
            try {
                call.run();
            } catch (RuntimeException e) {
                return e;
            }
            throw new AssertionError("the call succeeded, but the store was down");
        });
    }

    /** Polls until {@code condition} holds or {@code within} passed; whether it held. */
    private static boolean eventually(BooleanSupplier condition, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (StateUnavailableException e) {
                // A pooled connection from before a restart fails once; the next call opens a fresh one.
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
