package io.github.ephemeralcredentials.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's closed loop, driven by wrk (a C load generator, {@code apt-get install wrk}): {@code connections}
 * keep-alive connections over {@code threads} event loops, each request spending one prepared body.
 *
 * <p>Why wrk and not a Java client: the two cores are shared by the server and the generator, so a generator's CPU
 * per request caps what any server can show. OkHttp spent 120 to 180 µs of CPU per request here, about a third of
 * the service's own cost; wrk spends a few. What a series measures is then the server, for both servers alike.
 *
 * <p>wrk runs for a time, not a count; the script ({@code wrk/exchange.lua}) stops each thread after its quota of
 * answers and prints a line, and this class ends the run with SIGINT (wrk's own way to stop early, after which it
 * prints its summary) once every thread has finished. Latencies are wrk's, from the request being written to its
 * answer being read: the script prints wrk's histogram of them (a count per microsecond), so that runs can be merged.
 */
final class WrkDriver {

    /** Each thread's file holds its quota plus this many spares per connection (and one for wrk's pipelining probe). */
    private static final int SPARES_PER_CONNECTION = 1;
    private static final long NO_ANSWER_SECONDS = 120;

    private final Path wrk;
    private final int connections;
    private final int threads;
    private final Path work;

    WrkDriver(Path wrk, int connections, int threads, Path work) {
        if (connections % threads != 0) {
            throw new IllegalArgumentException("connections (" + connections + ") must be a multiple of threads ("
                    + threads + "): wrk gives each thread connections / threads");
        }
        this.wrk = wrk;
        this.connections = connections;
        this.threads = threads;
        this.work = work;
    }

    /** wrk on the PATH, if any. */
    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "wrk");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** How many bodies a run of {@code answers} answers needs. */
    int bodiesFor(int answers) {
        return answers + threads * ((connections / threads) * SPARES_PER_CONNECTION + 1);
    }

    /**
     * POSTs one body of {@code bodies} per request to {@code url} until {@code answers} answers (rounded down to a
     * multiple of the thread count) have been read.
     *
     * @param bodies        at least {@link #bodiesFor(int)} form bodies, one token each, none holding a line break
     * @param authorization the Authorization header, or null
     */
    Run run(String url, List<String> bodies, int answers, String authorization) throws IOException, InterruptedException {
        int quota = answers / threads;
        int perThread = bodies.size() / threads;
        if (quota <= 0 || perThread < quota + (connections / threads) * SPARES_PER_CONNECTION + 1) {
            throw new IllegalArgumentException("need " + bodiesFor(answers) + " bodies for " + answers + " answers, got "
                    + bodies.size());
        }
        Files.createDirectories(work);
        String prefix = work.resolve("bodies").toString();
        for (int t = 0; t < threads; t++) {
            Files.write(Path.of(prefix + "." + (t + 1)), bodies.subList(t * perThread, (t + 1) * perThread),
                    StandardCharsets.US_ASCII);
        }
        Path script = work.resolve("exchange.lua");
        try (InputStream in = Objects.requireNonNull(WrkDriver.class.getResourceAsStream("/wrk/exchange.lua"))) {
            Files.write(script, in.readAllBytes());
        }
        List<String> command = List.of(wrk.toString(), "-t", String.valueOf(threads), "-c", String.valueOf(connections),
                "-d", "1h", "--timeout", "60s", "-s", script.toString(), url, "--", prefix, String.valueOf(quota),
                authorization == null ? "" : authorization, String.valueOf(connections / threads));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Output output;
        try {
            output = read(process);
        } finally {
            if (!process.waitFor(NO_ANSWER_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        return output.run(process.exitValue());
    }

    /**
     * What wrk printed: the script's {@code EC-RESULT} fields and {@code EC-LATENCY} histogram (null if either is
     * missing), and every other line, for an error message.
     */
    private record Output(Map<String, String> result, LatencyHistogram latency, List<String> other) {

        /** Latency quantiles that wrk's own figures and the histogram must agree on. */
        private static final Map<String, Double> CHECKED = Map.of("p50_us", 0.5, "p99_us", 0.99, "p999_us", 0.999);

        Run run(int exit) throws IOException {
            if (!result.containsKey("requests") || latency == null) {
                throw new IOException("wrk ended without its " + (latency == null ? "latency histogram" : "summary")
                        + " (exit " + exit + "): " + String.join(" | ", other));
            }
            checkQuantiles();
            int refused = number("bad");
            int socketErrors = number("socket");
            int dry = number("dry");
            String firstError = refused > 0 ? refused + " answers with a status of 400 or more"
                    : socketErrors > 0 ? socketErrors + " socket errors (connect, read, write or timeout)"
                    : dry > 0 ? dry + " requests found no fresh token left (a bug in the quota arithmetic)"
                    : null;
            return new Run(number("requests"), Long.parseLong(result.get("duration_us")) * 1_000, latency,
                    refused + socketErrors + dry, firstError);
        }

        /**
         * The histogram's quantiles are read by wrk's own rule from wrk's own counts, so they must be wrk's to the
         * microsecond: if they are not, the script's histogram is wrong, and so would every merged quantile be.
         */
        private void checkQuantiles() throws IOException {
            if (latency.count() == 0) {
                return;
            }
            for (Map.Entry<String, Double> quantile : CHECKED.entrySet()) {
                long wrks = Long.parseLong(result.get(quantile.getKey()));
                long histogram = Math.round(latency.millisAt(quantile.getValue()) * 1e3);
                if (histogram != wrks) {
                    throw new IOException("wrk's " + quantile.getKey() + " is " + wrks + " us, its histogram's "
                            + histogram + " us");
                }
            }
        }

        private int number(String field) {
            return Integer.parseInt(result.get(field));
        }
    }

    /** Reads wrk's output to its end, stopping wrk once every thread has its quota. */
    private Output read(Process process) throws IOException, InterruptedException {
        Map<String, String> result = new HashMap<>();
        LatencyHistogram latency = null;
        List<String> other = new ArrayList<>();
        int done = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("EC-THREAD-DONE ")) {
                    if (++done == threads) {
                        // Every thread has its quota: end the run now rather than after wrk's hour.
                        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
                    }
                } else if (line.startsWith("EC-RESULT ")) {
                    for (String field : line.substring("EC-RESULT ".length()).split(" ")) {
                        String[] kv = field.split("=", 2);
                        result.put(kv[0], kv[1]);
                    }
                } else if (line.startsWith("EC-LATENCY")) {
                    latency = LatencyHistogram.parse(line.substring("EC-LATENCY".length()));
                } else {
                    other.add(line);
                }
            }
        }
        return new Output(result, latency, other);
    }
}
