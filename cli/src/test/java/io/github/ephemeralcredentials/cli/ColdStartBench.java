package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.action.RunnerEmulation;
import io.github.ephemeralcredentials.core.peers.CephRgwPeer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
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
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * The cold-start benchmark behind {@code github-action/bench/cold-start.sh} (a benchmark, not a test): the main step
 * as the container runs it — the trimmed runtime, the AOT cache and the flags the image's scripts made and use — end
 * to end against a local STS (Ceph RadosGW) and the runner emulation, N times; against N runs of a bare
 * {@code java -Xshare:auto -version} of each JDK named. Prints the median wall times, their ratios, the peak resident
 * memory ({@code /usr/bin/time -v}) and the sizes that make up the image.
 *
 * <p>Arguments: the directory holding {@code jre/}, {@code app/} (the action's jar, jvm.options, app.aot) and
 * {@code floor/} (the floor program and the full jar), the number of runs,
 * then the {@code java} launchers to compare with (the JDK the runtime was linked from first).
 */
public final class ColdStartBench {

    private static final Pattern MAX_RSS = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)");
    /** alpine:3.20, the image's base, as {@code docker image ls} reports it. */
    private static final double ALPINE_MB = 7.8;

    private record Run(long nanos, long rssKib) {
    }

    private ColdStartBench() {
    }

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]).toAbsolutePath();
        int runs = Integer.parseInt(args[1]);
        List<String> baselines = List.of(args).subList(2, args.length);
        Path app = image.resolve("app");
        String java = image.resolve("jre/bin/java").toString();
        Path work = Files.createTempDirectory("cold-start-bench");

        try (CephRgwPeer.Node ceph = CephRgwPeer.Node.start(); RunnerEmulation runner = new RunnerEmulation(work)) {
            runner.mintWith(audience -> ceph.issuer().mint(runner.subject(), List.of(audience), Duration.ofMinutes(5),
                    runner.claims()));
            String role = ceph.role("bench", runner.subject());
            Map<String, String> inputs = Map.of("role-to-assume", role, "aws-sts-endpoint", ceph.endpoint(),
                    "audience", CephRgwPeer.Node.AUDIENCE);

            // github-action/docker/run's command line, with the image's paths swapped for the bench's.
            List<String> step = new ArrayList<>(List.of(java, "-XX:AOTCache=" + app.resolve("app.aot"),
                    "@" + app.resolve("jvm.options")));
            String extra = System.getenv("BENCH_JVM_ARGS");
            if (extra != null && !extra.isBlank()) {
                step.addAll(List.of(extra.trim().split("\\s+")));
            }
            step.addAll(List.of("-jar", app.resolve("ephemeral-credentials-action.jar").toString(), "action", "main"));

            // The same step against a stub STS that answers at once: the difference is the peer's own time (Ceph
            // fetches the issuer's JWKS on every call), so what is left is ours. The series are interleaved, one run
            // of each per round, so a shared machine's load changes weigh on all of them alike.
            List<Run> ours = new ArrayList<>();
            List<Run> stubbed = new ArrayList<>();
            List<Run> https = new ArrayList<>();
            HandshakeCertificates serverTls = trustedServerCertificate(image.resolve("jre"));
            String token = ceph.issuer().mint(runner.subject(), List.of(CephRgwPeer.Node.AUDIENCE),
                    Duration.ofMinutes(30), runner.claims());
            Map<String, List<Run>> bare = new java.util.LinkedHashMap<>();
            Map<String, Long> floorMedians;
            baselines.forEach(b -> bare.put(b, new ArrayList<>()));
            try (MockWebServer stub = stubSts(); MockWebServer tlsStub = stubSts(serverTls, token)) {
                Map<String, String> stubInputs = Map.of("role-to-assume", "arn:aws:iam::123456789012:role/bench",
                        "aws-sts-endpoint", stub.url("/").toString(), "audience", CephRgwPeer.Node.AUDIENCE);
                Map<String, String> httpsInputs = Map.of("role-to-assume", "arn:aws:iam::123456789012:role/bench",
                        "aws-sts-endpoint", tlsStub.url("/").toString(), "audience", CephRgwPeer.Node.AUDIENCE);
                Map<String, List<String>> floors = floors(java, app, image.resolve("floor"), runner, stubInputs, work);
                Map<String, List<Run>> floor = new java.util.LinkedHashMap<>();
                floors.keySet().forEach(f -> floor.put(f, new ArrayList<>()));
                for (int i = 0; i < runs; i++) {
                    runner.newStep();
                    ours.add(run(step, runner.environment(inputs, true), work));
                    runner.newStep();
                    stubbed.add(run(step, runner.environment(stubInputs, true), work));
                    runner.newStep();
                    Map<String, String> httpsEnvironment = new java.util.HashMap<>(runner.environment(httpsInputs, true));
                    httpsEnvironment.put("ACTIONS_ID_TOKEN_REQUEST_URL", tlsStub.url("/token?api-version=2.0").toString());
                    https.add(run(step, httpsEnvironment, work));
                    for (String b : baselines) {
                        bare.get(b).add(run(List.of(b, "-Xshare:auto", "-version"), Map.of(), work));
                    }
                    for (Map.Entry<String, List<String>> f : floors.entrySet()) {
                        runner.newStep();
                        floor.get(f.getKey()).add(run(f.getValue(), runner.environment(stubInputs, true), work));
                    }
                }
                floorMedians = new java.util.LinkedHashMap<>();
                for (Map.Entry<String, List<Run>> f : floor.entrySet()) {
                    floorMedians.put(f.getKey(), median(f.getValue()));
                }
            }

            long oursMedian = median(ours);
            long stubMedian = median(stubbed);
            System.out.printf("main step, end to end against Ceph STS: median %d ms over %d runs%n",
                    oursMedian / 1_000_000, runs);
            System.out.printf("main step, end to end against a stub STS: median %d ms over %d runs%n",
                    stubMedian / 1_000_000, runs);
            long httpsMedian = median(https);
            System.out.printf("main step, token endpoint and STS stub over https (TLS as on a runner): median %d ms "
                    + "over %d runs%n", httpsMedian / 1_000_000, runs);
            boolean first = true;
            for (Map.Entry<String, List<Run>> b : bare.entrySet()) {
                long bareMedian = median(b.getValue());
                System.out.printf("bare %s -Xshare:auto -version: median %d ms over %d runs%n", b.getKey(),
                        bareMedian / 1_000_000, runs);
                System.out.printf("%s main-step / bare (%s) = %.2f against Ceph, %.2f against the stub, %.2f over "
                        + "https%s%n", first ? "RATIO" : "ratio", b.getKey(), (double) oursMedian / bareMedian,
                        (double) stubMedian / bareMedian, (double) httpsMedian / bareMedian,
                        first ? " (target <= 4)" : "");
                if (first && !floorMedians.isEmpty()) {
                    StringBuilder line = new StringBuilder("FLOOR the two requests alone (ColdStartFloor), plain "
                            + "http against the stub STS, own AOT cache:");
                    floorMedians.forEach((name, nanos) -> line.append(String.format(" %s median %d ms (%.2f),",
                            name, nanos / 1_000_000, (double) nanos / bareMedian)));
                    System.out.println(line.substring(0, line.length() - 1));
                }
                first = false;
            }
            long rss = ours.stream().mapToLong(Run::rssKib).max().orElse(0);
            long rssMedian = median(ours.stream().map(r -> new Run(r.rssKib(), 0)).toList());
            System.out.printf("PEAK RSS main step: max %.1f MiB, median %.1f MiB (target < 60 MiB); over https: max "
                    + "%.1f MiB%n", rss / 1024.0, rssMedian / 1024.0,
                    https.stream().mapToLong(Run::rssKib).max().orElse(0) / 1024.0);
            double jre = megabytes(image.resolve("jre"));
            double jar = megabytes(app.resolve("ephemeral-credentials-action.jar"));
            double cache = megabytes(app.resolve("app.aot"));
            System.out.printf("IMAGE on disk about %.1f MB = alpine %.1f + runtime %.1f + jar %.1f + AOT cache %.1f "
                    + "(target < 100 MB; the pull, compressed, is image-layers' table above)%n", ALPINE_MB + jre + jar + cache, ALPINE_MB, jre, jar, cache);
        }
    }

    /**
     * A throw-away CA, added to the bench's copy of the runtime's trust store (never the image's), and a localhost
     * certificate it signed: the https series runs the step's real TLS set-up and handshake, as on a runner.
     */
    private static HandshakeCertificates trustedServerCertificate(Path jre) throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("cold-start bench CA")
                .build();
        HeldCertificate server = new HeldCertificate.Builder().signedBy(ca).commonName("localhost")
                .addSubjectAlternativeName("localhost").addSubjectAlternativeName("127.0.0.1").build();
        Path cacerts = jre.resolve("lib/security/cacerts");
        char[] password = "changeit".toCharArray();
        KeyStore trust = KeyStore.getInstance(cacerts.toFile(), password);
        trust.setCertificateEntry("cold-start-bench-ca", ca.certificate());
        try (var out = Files.newOutputStream(cacerts)) {
            trust.store(out, password);
        }
        return new HandshakeCertificates.Builder().heldCertificate(server, ca.certificate()).build();
    }

    /**
     * The floor programs' command lines (see {@link ColdStartFloor}), each run once first to write its own AOT cache
     * as the image's training does; none when the bench script did not build {@code floor/floor.jar}.
     */
    private static Map<String, List<String>> floors(String java, Path app, Path dir, RunnerEmulation runner,
            Map<String, String> stubInputs, Path work) throws Exception {
        Map<String, List<String>> floors = new java.util.LinkedHashMap<>();
        Path jar = dir.resolve("floor.jar");
        if (!Files.isRegularFile(jar)) {
            return floors;
        }
        String classPath = jar + File.pathSeparator + dir.resolve("ephemeral-credentials.jar");
        for (String mode : List.of("okhttp", "jdk")) {
            String cache = dir.resolve(mode + ".aot").toString();
            List<String> tail = List.of("@" + app.resolve("jvm.options"), "-cp", classPath,
                    ColdStartFloor.class.getName(), mode);
            List<String> train = new ArrayList<>(List.of(java, "-XX:AOTCacheOutput=" + cache,
                    "-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining"));
            train.addAll(tail);
            runner.newStep();
            run(train, runner.environment(stubInputs, true), work);
            List<String> command = new ArrayList<>(List.of(java, "-XX:AOTCache=" + cache));
            command.addAll(tail);
            floors.put(mode.equals("jdk") ? "HttpURLConnection" : "OkHttp", command);
        }
        return floors;
    }

    private static double megabytes(Path path) throws java.io.IOException {
        try (var files = Files.walk(path)) {
            long bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            return bytes / 1_000_000.0;
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

    /**
     * An STS that answers AssumeRoleWithWebIdentity at once with the example response of the AWS STS API reference
     * (AssumeRoleWithWebIdentity — Examples), with a fresh expiry.
     */
    private static MockWebServer stubSts() throws Exception {
        return stubSts(null, null);
    }

    /**
     * @param tls   the server's certificate, or {@code null} for plain http
     * @param token what {@code GET /token} answers as the runner does ({@code {"value": ...}}), or {@code null}
     */
    private static MockWebServer stubSts(HandshakeCertificates tls, String token) throws Exception {
        MockWebServer stub = new MockWebServer();
        if (tls != null) {
            stub.useHttps(tls.sslSocketFactory());
        }
        stub.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (token != null && "GET".equals(request.getMethod())) {
                    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                            .body("{\"value\":\"" + token + "\"}").build();
                }
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

    private static long median(List<Run> runs) {
        List<Long> sorted = runs.stream().map(Run::nanos).sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
