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
 * prints its summary) once every thread has finished. Latency quantiles come from wrk's HdrHistogram, from the request
 * being written to its answer being read.
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
        Map<String, String> result = new HashMap<>();
        String firstError = null;
        int done = 0;
        List<String> other = new ArrayList<>();
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
                } else {
                    other.add(line);
                }
            }
        } finally {
            if (!process.waitFor(NO_ANSWER_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (!result.containsKey("requests")) {
            throw new IOException("wrk ended without its summary (exit " + process.exitValue() + "): "
                    + String.join(" | ", other));
        }
        int socketErrors = Integer.parseInt(result.get("socket"));
        int dry = Integer.parseInt(result.get("dry"));
        int errors = Integer.parseInt(result.get("bad")) + socketErrors + dry;
        int refused = Integer.parseInt(result.get("bad"));
        if (refused > 0) {
            firstError = refused + " answers with a status of 400 or more";
        }
        if (firstError == null && socketErrors > 0) {
            firstError = socketErrors + " socket errors (connect, read, write or timeout)";
        }
        if (firstError == null && dry > 0) {
            firstError = dry + " requests found no fresh token left (a bug in the quota arithmetic)";
        }
        return new Run(Integer.parseInt(result.get("requests")), Long.parseLong(result.get("duration_us")) * 1_000,
                Long.parseLong(result.get("p50_us")) / 1e3, Long.parseLong(result.get("p99_us")) / 1e3,
                Long.parseLong(result.get("p999_us")) / 1e3, errors, firstError);
    }
}
