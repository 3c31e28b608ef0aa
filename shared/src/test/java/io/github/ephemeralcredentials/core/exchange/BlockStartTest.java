package io.github.ephemeralcredentials.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.credential.Revocation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BlockStartTest {

    private static final CleanupRecord RECORD = new CleanupRecord("token-exchange",
            Instant.parse("2030-01-01T00:10:00Z"), List.of(new Revocation("token-exchange", "oauth-token",
                    Map.of("token", "canary-access-token"))), List.of(), List.of());

    @Test
    void anAbortBetweenTheExchangeAndTheBlockStartRevokesAndTheBlockNeverStarts() {
        BlockStart start = new BlockStart();

        assertThat(start.issued(RECORD)).isTrue();
        assertThat(start.abort()).contains(RECORD);
        assertThat(start.start()).isFalse();
        assertThat(start.started()).isFalse();
        assertThat(start.abort()).isEmpty();
    }

    @Test
    void anAbortDuringTheProviderCallLeavesTheRevocationToTheExchangingSide() {
        BlockStart start = new BlockStart();

        assertThat(start.abort()).isEmpty();
        assertThat(start.issued(RECORD)).isFalse();
        assertThat(start.start()).isFalse();
    }

    @Test
    void anAbortAfterTheBlockStartedIsTheBlocksToHandle() {
        BlockStart start = new BlockStart();

        assertThat(start.issued(RECORD)).isTrue();
        assertThat(start.start()).isTrue();
        assertThat(start.abort()).isEmpty();
        assertThat(start.started()).isTrue();
    }

    @Test
    void outOfOrderCallsAreBugsAndSaySo() {
        assertThatThrownBy(() -> new BlockStart().start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only after a credential was issued");
        BlockStart twice = new BlockStart();
        twice.issued(RECORD);
        assertThatThrownBy(() -> twice.issued(RECORD)).isInstanceOf(IllegalStateException.class);
    }

    /** However the two threads interleave, the credential is revoked exactly once or its block starts. */
    @Test
    void racingAnAbortAgainstTheStartRevokesExactlyOnceOrStarts() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2_000; round++) {
                BlockStart start = new BlockStart();
                CountDownLatch go = new CountDownLatch(1);
                AtomicInteger revocations = new AtomicInteger();
                Future<Boolean> starter = threads.submit(() -> {
                    go.await();
                    if (!start.issued(RECORD)) {
                        revocations.incrementAndGet();
                        return false;
                    }
                    return start.start();
                });
                Future<Optional<CleanupRecord>> aborter = threads.submit(() -> {
                    go.await();
                    return start.abort();
                });
                go.countDown();
                boolean started = starter.get(10, TimeUnit.SECONDS);
                aborter.get(10, TimeUnit.SECONDS).ifPresent(r -> revocations.incrementAndGet());

                assertThat(started ? 0 : 1).as("round %d", round).isEqualTo(revocations.get());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
