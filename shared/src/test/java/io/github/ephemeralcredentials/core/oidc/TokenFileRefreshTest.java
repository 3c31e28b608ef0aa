package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenFileRefreshTest {

    /** Records what was scheduled and parks it far in the future, so the test runs each attempt by hand. */
    private static final class RecordingTimer extends ScheduledThreadPoolExecutor {
        long initialDelay = -1;
        long period = -1;
        TimeUnit unit;
        Runnable task;

        RecordingTimer() {
            super(1);
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            this.initialDelay = initialDelay;
            this.period = period;
            this.unit = unit;
            this.task = command;
            return super.scheduleAtFixedRate(command, 1, 1, TimeUnit.DAYS);
        }
    }

    private final RecordingTimer recording = new RecordingTimer();
    private final ScheduledThreadPoolExecutor real = new ScheduledThreadPoolExecutor(1);
    private final List<Exception> failures = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        recording.shutdownNow();
        real.shutdownNow();
    }

    @Test
    void aNewFileIsRewrittenEveryHalfLifetimeStartingOnePeriodFromNow() {
        new TokenFileRefresh(Duration.ofMinutes(10)).start(recording, false, () -> true, failures::add);

        assertThat(Duration.of(recording.initialDelay, recording.unit.toChronoUnit())).isEqualTo(Duration.ofMinutes(5));
        assertThat(Duration.of(recording.period, recording.unit.toChronoUnit())).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aResumedScheduleRewritesTheFileAtOnceSinceItsTokenMayHaveExpired() {
        new TokenFileRefresh(Duration.ofMinutes(10)).start(recording, true, () -> true, failures::add);

        assertThat(recording.initialDelay).isZero();
        assertThat(Duration.of(recording.period, recording.unit.toChronoUnit())).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aFailedAttemptIsReportedAndTheNextOneStillRuns() {
        AtomicInteger attempts = new AtomicInteger();
        ScheduledFuture<?> future = new TokenFileRefresh(Duration.ofMinutes(10)).start(recording, false, () -> {
            switch (attempts.incrementAndGet()) {
                case 1 -> throw new IOException("agent offline");
                case 2 -> throw new IllegalStateException("Jenkins URL is not set");
                default -> {
                    return true;
                }
            }
        }, failures::add);

        recording.task.run();
        recording.task.run();
        recording.task.run();

        assertThat(attempts).hasValue(3);
        assertThat(failures).extracting(Exception::getMessage).containsExactly("agent offline", "Jenkins URL is not set");
        assertThat(future.isCancelled()).isFalse();
    }

    @Test
    void theScheduleEndsWhenTheBlockHasEnded() {
        AtomicInteger attempts = new AtomicInteger();
        ScheduledFuture<?> future = new TokenFileRefresh(Duration.ofMinutes(10)).start(recording, false, () -> {
            attempts.incrementAndGet();
            return false;
        }, failures::add);

        recording.task.run();
        recording.task.run();

        assertThat(attempts).hasValue(1);
        assertThat(future.isCancelled()).isTrue();
        assertThat(failures).isEmpty();
    }

    @Test
    void anInterruptedAttemptKeepsTheInterruptAndIsNoFailure() {
        new TokenFileRefresh(Duration.ofMinutes(10)).start(recording, false, () -> {
            throw new InterruptedException();
        }, failures::add);

        recording.task.run();

        assertThat(Thread.interrupted()).isTrue();
        assertThat(failures).isEmpty();
    }

    @Test
    void onARealExecutorAFailureDoesNotEndTheScheduleButTheBlockEndingDoes() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch ended = new CountDownLatch(1);
        ScheduledFuture<?> future = new TokenFileRefresh(Duration.ofSeconds(2)).start(real, true, () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("first attempt fails");
            }
            ended.countDown();
            return false;
        }, failures::add);

        assertThat(ended.await(30, TimeUnit.SECONDS)).isTrue();
        // A periodic future completes only when cancelled: get() returns once the attempt saying "over" cancelled it.
        assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(attempts).hasValue(2);
        assertThat(failures).hasSize(1);
    }

    @Test
    void aLifetimeTooShortToHalveIsRefused() {
        assertThatThrownBy(() -> new TokenFileRefresh(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 seconds");
    }
}
