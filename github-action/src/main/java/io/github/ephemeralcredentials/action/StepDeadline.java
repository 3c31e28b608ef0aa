package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.action.ActionException.Reason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * One overall deadline for a step, counted from its start, over every wait in it (the runner's token endpoint, the
 * provider, its retries): each client timeout and retry rule bounds one call, and four of them against a peer that
 * accepts and never answers added up to 43 s a call. When it runs out, the HTTP calls in flight are cancelled and
 * the message says what the step was doing and which endpoint had not answered.
 */
final class StepDeadline {

    static final String MAIN_INPUT = "main-deadline-seconds";
    static final String POST_INPUT = "post-deadline-seconds";
    static final Duration MAIN_DEFAULT = Duration.ofSeconds(60);
    static final Duration POST_DEFAULT = Duration.ofSeconds(30);
    private static final long MAX_SECONDS = 3600;

    private final Duration limit;
    private final String input;
    private final long startNanos;
    private volatile String stage = "starting";

    private StepDeadline(Duration limit, String input, long startNanos) {
        this.limit = limit;
        this.input = input;
        this.startNanos = startNanos;
    }

    /** The deadline {@code input} sets (else {@code byDefault}), counted from {@code startNanos} ({@link System#nanoTime()}). */
    static StepDeadline from(ActionInputs inputs, String input, Duration byDefault, long startNanos) {
        long seconds = inputs.number(input).orElse(byDefault.toSeconds());
        if (seconds < 1 || seconds > MAX_SECONDS) {
            throw new ActionException(Reason.INVALID_INPUT, "input `" + input + "` is " + seconds + "; write a number "
                    + "of seconds from 1 to " + MAX_SECONDS + " (default " + byDefault.toSeconds() + ")");
        }
        return new StepDeadline(Duration.ofSeconds(seconds), input, startNanos);
    }

    /** What the step waits for now, for the message when the deadline runs out. */
    void stage(String waitingFor) {
        this.stage = waitingFor;
    }

    Duration remaining() {
        return Duration.ofNanos(Math.max(0, startNanos + limit.toNanos() - System.nanoTime()));
    }

    /**
     * Runs {@code body} on a daemon thread (a peer that never answers must not keep the container alive) and returns
     * its result, or throws {@link ActionException} {@code DEADLINE} naming the wait when the deadline runs out
     * first; the calls {@code http} has in flight are cancelled then.
     */
    <T> T run(OkHttpClient http, Supplier<T> body) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                result.complete(body.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "step");
        worker.setDaemon(true);
        worker.start();
        try {
            return result.get(remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            String waits = inFlight(http);
            http.dispatcher().cancelAll();
            worker.interrupt();
            throw new ActionException(Reason.DEADLINE, ranOut() + " while " + stage
                    + (waits.isEmpty() ? " (between retries)" : ": no answer from " + waits)
                    + "; check that endpoint, or raise `" + input + "` if it is just slow");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException(Reason.DEADLINE, "the step was interrupted while " + stage);
        }
    }

    /** "the step's deadline of 60 s (input `main-deadline-seconds`) ran out". */
    String ranOut() {
        return "the step's deadline of " + limit.toSeconds() + " s (input `" + input + "`) ran out";
    }

    /** The endpoints {@code http} is waiting for, as {@code https://host:port/path} (no query: it may name more). */
    static String inFlight(OkHttpClient http) {
        List<Call> calls = http.dispatcher().runningCalls();
        return String.join(", ", calls.stream().map(c -> endpoint(c.request().url())).distinct().toList());
    }

    private static String endpoint(HttpUrl url) {
        return url.scheme() + "://" + url.host() + ":" + url.port() + url.encodedPath();
    }
}
