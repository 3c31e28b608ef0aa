package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.action.RunnerEmulation;
import io.github.ephemeralcredentials.core.peers.CephRgwPeer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cold-start benchmark behind {@code github-action/bench/cold-start.sh} (a benchmark, not a test): the packaged
 * jar's main step, run as the container runs it (the entrypoint's {@code jvm.options}, an AppCDS archive made by a
 * training run with {@code -XX:ArchiveClassesAtExit}), end to end against a local STS (Ceph RadosGW) and the runner
 * emulation, N times; against N runs of a bare {@code java -Xshare:auto -version}. Prints the median wall times, their
 * ratio and the peak resident memory ({@code /usr/bin/time -v}).
 *
 * <p>Arguments: the jar, the jvm.options file, the number of runs.
 */
public final class ColdStartBench {

    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");

    private record Run(long nanos, long rssKib) {
    }

    private ColdStartBench() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path options = Path.of(args[1]).toAbsolutePath();
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path work = Files.createTempDirectory("cold-start-bench");
        Path archive = work.resolve("app.jsa");

        try (CephRgwPeer.Node ceph = CephRgwPeer.Node.start(); RunnerEmulation runner = new RunnerEmulation(work)) {
            runner.mintWith(audience -> ceph.issuer().mint(runner.subject(), List.of(audience), Duration.ofMinutes(5),
                    runner.claims()));
            String role = ceph.role("bench", runner.subject());
            Map<String, String> inputs = Map.of("role-to-assume", role, "aws-sts-endpoint", ceph.endpoint(),
                    "audience", CephRgwPeer.Node.AUDIENCE);

            List<String> step = new ArrayList<>(List.of(java, "@" + options));
            List<String> training = new ArrayList<>(step);
            training.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                    "-jar", jar.toString(), "action", "main"));
            Run trained = run(training, runner.environment(inputs, true), work);
            System.out.printf("training run (AppCDS archive %s, %d KiB): %d ms%n", archive,
                    Files.size(archive) / 1024, trained.nanos() / 1_000_000);

            List<String> measured = new ArrayList<>(step);
            measured.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"));
            String extra = System.getenv("BENCH_JVM_ARGS");
            if (extra != null && !extra.isBlank()) {
                measured.addAll(List.of(extra.trim().split("\\s+")));
            }
            measured.addAll(List.of("-jar", jar.toString(),
                    "action", "main"));
            List<Run> ours = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                runner.newStep();
                ours.add(run(measured, runner.environment(inputs, true), work));
            }
            List<Run> bare = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                bare.add(run(List.of(java, "-Xshare:auto", "-version"), Map.of(), work));
            }

            long oursMedian = median(ours.stream().map(Run::nanos).toList());
            long bareMedian = median(bare.stream().map(Run::nanos).toList());
            long rss = ours.stream().mapToLong(Run::rssKib).max().orElse(0);
            long rssMedian = median(ours.stream().map(Run::rssKib).toList());
            System.out.printf("main step, end to end against Ceph STS: median %d ms over %d runs%n",
                    oursMedian / 1_000_000, runs);
            System.out.printf("bare java -Xshare:auto -version:        median %d ms over %d runs%n",
                    bareMedian / 1_000_000, runs);
            System.out.printf("RATIO main-step / bare-jvm = %.2f (target <= 4)%n", (double) oursMedian / bareMedian);
            System.out.printf("PEAK RSS main step: max %.1f MiB, median %.1f MiB (target < 60 MiB)%n",
                    rss / 1024.0, rssMedian / 1024.0);
        }
    }

    private static Run run(List<String> command, Map<String, String> env, Path workdir) throws Exception {
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-v"));
        timed.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timed).directory(workdir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        File out = File.createTempFile("bench-out", ".txt");
        File err = File.createTempFile("bench-err", ".txt");
        try {
            long start = System.nanoTime();
            Process process = builder.redirectOutput(out).redirectError(err).start();
            int code = process.waitFor();
            long nanos = System.nanoTime() - start;
            String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
            if (code != 0) {
                throw new IllegalStateException("run failed (" + code + "): " + command + "\n"
                        + Files.readString(out.toPath(), StandardCharsets.UTF_8) + stderr);
            }
            Matcher m = MAX_RSS.matcher(stderr);
            return new Run(nanos, m.find() ? Long.parseLong(m.group(1)) : 0);
        } finally {
            out.delete();
            err.delete();
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
