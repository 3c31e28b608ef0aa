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
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

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
            // The same step against a stub STS that answers at once: the difference is the peer's own time (Ceph
            // fetches the issuer's JWKS on every call), so what is left is ours. The three series are interleaved,
            // one run of each per round, so a shared machine's load changes weigh on all of them alike.
            List<Run> ours = new ArrayList<>();
            List<Run> stubbed = new ArrayList<>();
            List<Run> bare = new ArrayList<>();
            try (MockWebServer stub = stubSts()) {
                Map<String, String> stubInputs = Map.of("role-to-assume", "arn:aws:iam::123456789012:role/bench",
                        "aws-sts-endpoint", stub.url("/").toString(), "audience", CephRgwPeer.Node.AUDIENCE);
                for (int i = 0; i < runs; i++) {
                    runner.newStep();
                    ours.add(run(measured, runner.environment(inputs, true), work));
                    runner.newStep();
                    stubbed.add(run(measured, runner.environment(stubInputs, true), work));
                    bare.add(run(List.of(java, "-Xshare:auto", "-version"), Map.of(), work));
                }
            }

            long oursMedian = median(ours.stream().map(Run::nanos).toList());
            long bareMedian = median(bare.stream().map(Run::nanos).toList());
            long rss = ours.stream().mapToLong(Run::rssKib).max().orElse(0);
            long rssMedian = median(ours.stream().map(Run::rssKib).toList());
            System.out.printf("main step, end to end against Ceph STS: median %d ms over %d runs%n",
                    oursMedian / 1_000_000, runs);
            long stubMedian = median(stubbed.stream().map(Run::nanos).toList());
            System.out.printf("main step, end to end against a stub STS: median %d ms over %d runs (ratio %.2f)%n",
                    stubMedian / 1_000_000, runs, (double) stubMedian / median(bareTimes(bare)));
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

    private static List<Long> bareTimes(List<Run> bare) {
        return bare.stream().map(Run::nanos).toList();
    }

    /**
     * An STS that answers AssumeRoleWithWebIdentity at once with the example response of the AWS STS API reference
     * (AssumeRoleWithWebIdentity — Examples), with a fresh expiry.
     */
    private static MockWebServer stubSts() throws Exception {
        MockWebServer stub = new MockWebServer();
        stub.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String ns = "https://sts.amazonaws.com/doc/2011-06-15/";
                String body = "<AssumeRoleWithWebIdentityResponse xmlns=\"" + ns + "\">\n"
                        + "  <AssumeRoleWithWebIdentityResult>\n"
                        + "    <SubjectFromWebIdentityToken>bench</SubjectFromWebIdentityToken>\n"
                        + "    <Audience>sts-test</Audience>\n"
                        + "    <AssumedRoleUser>\n"
                        + "      <Arn>arn:aws:sts::123456789012:assumed-role/bench/bench-1</Arn>\n"
                        + "      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:bench-1</AssumedRoleId>\n"
                        + "    </AssumedRoleUser>\n"
                        + "    <Credentials>\n"
                        + "      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>\n"
                        + "      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>\n"
                        + "      <Expiration>" + java.time.Instant.now().plusSeconds(900) + "</Expiration>\n"
                        + "      <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>\n"
                        + "    </Credentials>\n"
                        + "  </AssumeRoleWithWebIdentityResult>\n"
                        + "  <ResponseMetadata><RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId></ResponseMetadata>\n"
                        + "</AssumeRoleWithWebIdentityResponse>\n";
                return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/xml").body(body).build();
            }
        });
        stub.start(java.net.InetAddress.getLoopbackAddress(), 0);
        return stub;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
