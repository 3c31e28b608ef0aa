package io.github.ephemeralcredentials.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * A closed loop at a fixed concurrency: {@code concurrency} threads, each with its own keep-alive connection, send
 * the prepared requests one after another until none is left. A request's latency is from just before it is sent
 * until its whole answer is read; anything but HTTP 200 counts as an error (and is never retried).
 */
final class LoadDriver {

    private final OkHttpClient http;
    private final int concurrency;

    LoadDriver(int concurrency) {
        this.concurrency = concurrency;
        this.http = new OkHttpClient.Builder()
                .protocols(List.of(Protocol.HTTP_1_1))
                .connectionPool(new ConnectionPool(concurrency * 2, 5, TimeUnit.MINUTES))
                .dispatcher(new Dispatcher())
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .build();
    }

    /** Sends {@code count} requests, request {@code i} built by {@code request} (its token used this once). */
    Run run(int count, Function<Integer, Request> request) throws InterruptedException {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < concurrency; t++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    Request r = request.apply(i);
                    long sent = System.nanoTime();
                    String error = send(r);
                    latencies[i] = System.nanoTime() - sent;
                    if (error != null) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, error);
                    }
                }
            }, "load-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long nanos = System.nanoTime() - started;
        return new Run(count, nanos, LatencyHistogram.ofNanos(latencies), errors.get(), firstError.get());
    }

    /** @return null for a 200 with a token in it, else what went wrong (status and the start of the body) */
    private String send(Request request) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            if (response.code() == 200 && body.contains("\"access_token\"")) {
                return null;
            }
            return "HTTP " + response.code() + ": " + body.substring(0, Math.min(300, body.length()));
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
