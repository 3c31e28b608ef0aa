package io.github.ephemeralcredentials.core.oidc;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps a web identity token file holding a valid token for as long as a block runs: SDKs that assume a role from
 * such a file (AWS {@code AWS_WEB_IDENTITY_TOKEN_FILE}, Azure and GCP workload identity) re-read it whenever their
 * credentials near expiry, so the host only has to rewrite it before its token expires.
 *
 * <p>The file is rewritten every half token lifetime, so one failed attempt still leaves a token valid until the
 * next one. A host that lost its schedule (a restarted Jenkins controller) starts again with {@code immediately}:
 * the token in the file may have expired meanwhile.
 */
public final class TokenFileRefresh {

    /** Writes one freshly minted token where the build reads it. */
    @FunctionalInterface
    public interface Attempt {
        /** @return false when the block has ended and the file must no longer be written */
        boolean refresh() throws IOException, InterruptedException;
    }

    private final Duration period;

    /** @param lifetime the lifetime of each token written to the file */
    public TokenFileRefresh(Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.toSeconds() < 2) {
            throw new IllegalArgumentException("a token refreshed in a file must live at least 2 seconds, not "
                    + lifetime);
        }
        this.period = lifetime.dividedBy(2);
    }

    /** How long each token spends in the file. */
    public Duration period() {
        return period;
    }

    /**
     * Schedules {@code attempt} every {@link #period()}; the first one at once if {@code immediately}, else one period
     * from now (the file was just written). A failing attempt is reported to {@code failures} and does not end the
     * schedule (a task that throws would silently end it); the schedule ends when an attempt returns false or the
     * returned future is cancelled.
     */
    public ScheduledFuture<?> start(ScheduledExecutorService timer, boolean immediately, Attempt attempt,
                                    Consumer<Exception> failures) {
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(failures, "failures");
        Schedule schedule = new Schedule(attempt, failures);
        long every = period.toMillis();
        schedule.started(timer.scheduleAtFixedRate(schedule, immediately ? 0 : every, every, TimeUnit.MILLISECONDS));
        return schedule.future;
    }

    private static final class Schedule implements Runnable {

        private final Attempt attempt;
        private final Consumer<Exception> failures;
        private volatile boolean over;
        private volatile ScheduledFuture<?> future;

        Schedule(Attempt attempt, Consumer<Exception> failures) {
            this.attempt = attempt;
            this.failures = failures;
        }

        void started(ScheduledFuture<?> scheduled) {
            future = scheduled;
            if (over) {
                // The first attempt ran, and found the block over, before the executor handed the future back.
                scheduled.cancel(false);
            }
        }

        @Override
        public void run() {
            if (over) {
                return;
            }
            try {
                if (!attempt.refresh()) {
                    over = true;
                    ScheduledFuture<?> scheduled = future;
                    if (scheduled != null) {
                        scheduled.cancel(false);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failures.accept(e);
            }
        }
    }
}
