package io.github.ephemeralcredentials.core.exchange;

import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What happens to a credential after it was issued (it lives beside the providers, not in {@code credential},
 * because taking a credential back is a provider call and dependencies point from provider to credential only): refreshed while the job still needs it, and taken back when
 * the job's block ends.
 *
 * <p>Cleanup does every step even when one fails (a revocation error must not leave a credentials file on disk),
 * and is idempotent: a second run finds files gone and revocations already done (providers' {@code revoke} is
 * idempotent by contract).
 */
public final class CredentialLifecycle {

    /** Refresh when less than this is left, so a tool never starts a call with a credential about to expire. */
    public static final Duration DEFAULT_REFRESH_MARGIN = Duration.ofMinutes(5);

    private final Map<String, CredentialProvider> providers;
    private final Clock clock;

    public CredentialLifecycle(Collection<? extends CredentialProvider> providers, Clock clock) {
        this(Providers.byId(List.copyOf(providers)), clock);
    }

    /**
     * @param providers by id, as {@link Providers#standard} gives them: only the providers a credential's revocations
     *                  name are built
     */
    public CredentialLifecycle(Map<String, CredentialProvider> providers, Clock clock) {
        this.providers = Collections.unmodifiableMap(providers);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@link #cleanup(CleanupRecord)} of the credential's record, its own secrets also redacted from messages. */
    public CleanupReport cleanup(EphemeralCredential credential) {
        return cleanup(CleanupRecord.of(credential), Redactor.of(credential));
    }

    /**
     * Revokes every revocation of the record through its provider and deletes its files, collecting failures
     * instead of stopping at the first. Failure messages are redacted with the record's secrets.
     */
    public CleanupReport cleanup(CleanupRecord record) {
        return cleanup(record, Redactor.none(), NO_DEADLINE);
    }

    /**
     * As {@link #cleanup(CleanupRecord)}, the revocations in parallel and all of them within {@code deadline}: one
     * that has not finished by then is reported as such (and its thread interrupted), and the files are deleted
     * regardless.
     */
    public CleanupReport cleanup(CleanupRecord record, Duration deadline) {
        return cleanup(record, Redactor.none(), deadline);
    }

    /** Long enough to mean "none": every provider call is bounded by its client's own timeouts and retries. */
    private static final Duration NO_DEADLINE = Duration.ofDays(1);

    private CleanupReport cleanup(CleanupRecord credential, Redactor secrets) {
        return cleanup(credential, secrets, NO_DEADLINE);
    }

    private CleanupReport cleanup(CleanupRecord credential, Redactor secrets, Duration deadline) {
        Redactor redactor = secrets.and(credential.secrets());
        List<CleanupReport.Failure> failures = new ArrayList<>();
        int revoked = 0;
        long end = System.nanoTime() + deadline.toNanos();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "revocation");
            thread.setDaemon(true); // a peer that never answers must not keep the process alive
            return thread;
        });
        try {
            List<Map.Entry<Revocation, java.util.concurrent.Future<?>>> running = new ArrayList<>();
            for (Revocation revocation : credential.revocations()) {
                CredentialProvider provider = providers.get(revocation.provider());
                running.add(new java.util.AbstractMap.SimpleImmutableEntry<>(revocation,
                        provider == null ? null : pool.submit(() -> provider.revoke(revocation))));
            }
            for (Map.Entry<Revocation, java.util.concurrent.Future<?>> task : running) {
                String what = task.getKey().provider() + "/" + task.getKey().kind();
                if (task.getValue() == null) {
                    failures.add(new CleanupReport.Failure(what, "no provider '" + task.getKey().provider()
                            + "' is configured to revoke it; it stays valid until it expires at "
                            + credential.expiresAt()));
                    continue;
                }
                try {
                    task.getValue().get(Math.max(0, end - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                    revoked++;
                } catch (java.util.concurrent.TimeoutException e) {
                    task.getValue().cancel(true);
                    failures.add(new CleanupReport.Failure(what, "did not finish within the deadline ("
                            + deadline.toSeconds() + " s): its endpoint did not answer in time; it stays valid until "
                            + "it expires at " + credential.expiresAt()));
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(new CleanupReport.Failure(what, redactor.describe(e.getCause())
                            + "; it stays valid until it expires at " + credential.expiresAt()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(new CleanupReport.Failure(what, "interrupted; it stays valid until it expires at "
                            + credential.expiresAt()));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        int deleted = 0;
        for (String name : credential.files()) {
            Path file;
            try {
                file = Path.of(name);
            } catch (java.nio.file.InvalidPathException e) {
                failures.add(new CleanupReport.Failure("file " + name, "not a path on this system; delete it by hand"));
                continue;
            }
            try {
                if (Files.deleteIfExists(file)) {
                    deleted++;
                }
            } catch (IOException | SecurityException e) {
                failures.add(new CleanupReport.Failure("file " + file, redactor.describe(e)
                        + "; delete it by hand, it holds credential material"));
            }
        }
        return new CleanupReport(revoked, deleted, failures);
    }

    /** Whether less than {@code margin} is left before the credential expires. */
    public boolean needsRefresh(EphemeralCredential credential, Duration margin) {
        return !credential.expiresAt().minus(margin).isAfter(clock.instant());
    }

    /**
     * The current credential while more than {@code margin} is left, otherwise a fresh one from {@code exchange}
     * (typically {@code () -> provider.exchange(request)} with a request whose token supplier fetches a new CI
     * token). The old credential is not cleaned up here: its files may be the ones the new credential rewrote; the
     * caller cleans up what it no longer holds.
     */
    public EphemeralCredential refreshIfNeeded(EphemeralCredential current, Duration margin,
                                               java.util.function.Supplier<EphemeralCredential> exchange) {
        if (!needsRefresh(current, margin)) {
            return current;
        }
        return Objects.requireNonNull(exchange.get(), "exchange returned no credential");
    }

    /**
     * What a cleanup did.
     *
     * @param revoked  revocations that succeeded
     * @param deleted  files that existed and were deleted
     * @param failures what could not be done, with what to do about it
     */
    public record CleanupReport(int revoked, int deleted, List<Failure> failures) {

        public CleanupReport {
            failures = List.copyOf(failures);
        }

        public boolean clean() {
            return failures.isEmpty();
        }

        /** @param what the revocation ({@code provider/kind}) or file; @param message redacted, says what to do */
        public record Failure(String what, String message) {
        }
    }
}
