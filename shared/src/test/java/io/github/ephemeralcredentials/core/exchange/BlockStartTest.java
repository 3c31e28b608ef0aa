package io.github.ephemeralcredentials.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockStartTest {

    @Test
    void anAbortDuringTheProviderCallIsSeenAsSoonAsTheExchangeReturns() {
        BlockStart block = new BlockStart();

        assertThat(block.abort()).as("had started").isFalse();

        assertThat(block.aborted()).isTrue();
        assertThat(block.start()).isFalse();
    }

    @Test
    void anAbortBetweenTheExchangeAndTheStartStopsTheStart() {
        BlockStart block = new BlockStart();
        assertThat(block.aborted()).isFalse();

        assertThat(block.abort()).isFalse();

        assertThat(block.start()).as("the exchanging side revokes instead").isFalse();
    }

    @Test
    void anAbortAfterTheStartIsTheBlocksToHandle() {
        BlockStart block = new BlockStart();

        assertThat(block.start()).isTrue();

        assertThat(block.abort()).as("had started").isTrue();
        assertThat(block.aborted()).isFalse();
    }

    @Test
    void aBlockStartsOnce() {
        BlockStart block = new BlockStart();
        block.start();

        assertThatThrownBy(block::start).isInstanceOf(IllegalStateException.class);
    }

    /** However an abort and the start interleave, the block starts or the exchanging side revokes: never both, never neither. */
    @Test
    void racingAnAbortAgainstTheStartGivesTheCredentialExactlyOneOwner() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 2_000; round++) {
                BlockStart block = new BlockStart();
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> starter = threads.submit(() -> {
                    go.await();
                    return block.start();
                });
                Future<Boolean> aborter = threads.submit(() -> {
                    go.await();
                    return block.abort();
                });
                go.countDown();
                boolean blockStarted = starter.get(10, TimeUnit.SECONDS);
                boolean abortSawItStarted = aborter.get(10, TimeUnit.SECONDS);

                // Started: the block's end owns it and the abort knows. Not started: the exchanging side revokes.
                assertThat(abortSawItStarted).as("round %d", round).isEqualTo(blockStarted);
                assertThat(block.aborted()).as("round %d", round).isEqualTo(!blockStarted);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
