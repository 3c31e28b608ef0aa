package io.github.ephemeralcredentials.service;

import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyException;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Picks up a changed trust policy without a restart or a dropped request: the file is checked every few seconds
 * (and at once on {@link #now()}, which {@code serve} calls on SIGHUP). A new policy that does not load is refused
 * with its problems and the old one keeps deciding. Content, not timestamps, says what changed, so an editor's
 * touch or a Kubernetes ConfigMap's symlink swap both work.
 */
final class PolicyReload implements AutoCloseable {

    static final long PERIOD_SECONDS = 2;

    private final Path file;
    private final Consumer<Policy> apply;
    private final PrintStream log;
    private final ScheduledExecutorService timer;
    private byte[] loaded;

    PolicyReload(Path file, byte[] loaded, Consumer<Policy> apply, PrintStream log) {
        this.file = file;
        this.loaded = loaded;
        this.apply = apply;
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "ec-policy-reload");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::now, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    /** Reloads if the file's content changed. Never throws: a problem is logged and the old policy stays. */
    synchronized void now() {
        byte[] current;
        try {
            current = Files.readAllBytes(file);
        } catch (IOException | RuntimeException e) {
            log.println("ephemeral-credentials serve: cannot read " + file + " (" + e.getClass().getSimpleName()
                    + "); the policy loaded before stays in force");
            return;
        }
        if (Arrays.equals(current, loaded)) {
            return;
        }
        try {
            Policy next = PolicyLoader.load(file, Providers.descriptors());
            apply.accept(next);
            loaded = current;
            log.println("ephemeral-credentials serve: reloaded the trust policy " + file + " ("
                    + next.profiles().size() + " profiles, " + next.rules().size() + " rules)");
        } catch (PolicyException e) {
            loaded = current;
            log.println("ephemeral-credentials serve: refused the changed trust policy " + file
                    + "; the policy loaded before stays in force:");
            e.problems().forEach(p -> log.println("  " + p + " [" + p.code() + "]"));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
