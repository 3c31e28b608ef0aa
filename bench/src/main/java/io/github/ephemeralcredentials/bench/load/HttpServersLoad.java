package io.github.ephemeralcredentials.bench.load;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The HTTP server comparison behind docs/service.md's "The HTTP server" (issue 12: choose the server by
 * measurement). Each candidate ({@code bench.servers.CandidateServer}) serves the same minimal {@code POST /token} in
 * its own JVM; this process drives it with {@link LoadDriver} at a fixed concurrency. The servers are interleaved
 * (A B C D, A B C D, ...) so that whatever else the shared machine does falls on all of them alike, and every round is
 * printed. Server CPU per request (from {@code /proc/PID/stat}) is the figure to compare; requests/s on two shared
 * cores with the load generator beside the server is noisier.
 *
 * <p>Options: {@code --java PATH --classpath CP [--servers jetty,undertow,vertx,helidon] [--rounds 2]
 * [--warmup 20000] [--requests 40000] [--concurrency 8] [--jvm-options "-XX:+UseSerialGC -Xmx128m"] [--work DIR]}.
 */
public final class HttpServersLoad {

    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    /** Jar path fragments that each server adds to a class path (what the service would ship with it). */
    private static final Map<String, List<String>> JARS = Map.of(
            "jetty", List.of("/org/eclipse/jetty/"),
            "undertow", List.of("/io/undertow/", "/org/jboss/", "/org/wildfly/", "/io/smallrye/"),
            "vertx", List.of("/io/vertx/", "/io/netty/"),
            "helidon", List.of("/io/helidon/"));

    private HttpServersLoad() {
    }

    record Result(String server, int round, Run run, double cpuMicrosPerRequest, ProcessMemory memory) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of(
                "--servers", "jetty,undertow,vertx,helidon", "--rounds", "2", "--warmup", "20000",
                "--requests", "40000", "--concurrency", "8", "--jvm-options", "-XX:+UseSerialGC -Xmx128m",
                "--work", "bench/target/http-servers"));
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--help") || i + 1 >= args.length) {
                System.out.println("usage: bench/http-servers [--servers jetty,undertow,vertx,helidon] [--rounds 2] "
                        + "[--warmup 20000] [--requests 40000] [--concurrency 8] [--jvm-options \"...\"]");
                return;
            }
            options.put(args[i], args[i + 1]);
        }
        String java = require(options, "--java");
        String classpath = require(options, "--classpath");
        List<String> servers = List.of(options.get("--servers").split(","));
        int rounds = Integer.parseInt(options.get("--rounds"));
        int warmup = Integer.parseInt(options.get("--warmup"));
        int requests = Integer.parseInt(options.get("--requests"));
        int concurrency = Integer.parseInt(options.get("--concurrency"));
        List<String> jvmOptions = List.of(options.get("--jvm-options").trim().split("\\s+"));
        Path work = Path.of(options.get("--work"));
        Files.createDirectories(work);

        byte[] body = tokenRequest();
        System.out.printf("http-servers: POST /token, a %d-byte form, a %d-byte JSON answer; %d in flight, "
                + "%,d warm-up + %,d measured requests per server per round; JVM options %s%n",
                body.length, io.github.ephemeralcredentials.bench.servers.Sizes.answerBytes(), concurrency, warmup,
                requests, jvmOptions);
        System.out.printf("%-9s %5s %9s %8s %8s %10s %8s %6s%n",
                "server", "round", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "RSS MiB", "errors");
        List<Result> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            for (String server : servers) {
                Result result = measure(server, round, java, classpath, jvmOptions, work, body, warmup, requests,
                        concurrency);
                results.add(result);
                Run run = result.run();
                System.out.printf("%-9s %5d %,9.0f %8.2f %8.2f %10.1f %8.0f %6d%s%n", server, round, run.perSecond(),
                        run.millisAt(0.5), run.millisAt(0.99), result.cpuMicrosPerRequest(), result.memory().rssMib(),
                        run.errors(), run.firstError() == null ? "" : "  first: " + run.firstError());
            }
        }
        summary(servers, results, classpath);
    }

    private static Result measure(String server, int round, String java, String classpath, List<String> jvmOptions,
                                  Path work, byte[] body, int warmup, int requests, int concurrency)
            throws IOException, InterruptedException {
        int port = Processes.freePort();
        Path log = work.resolve(server + "-" + round + ".log");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, "io.github.ephemeralcredentials.bench.servers.CandidateServer",
                server, Integer.toString(port)));
        Process process = Processes.start(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()));
        LoadDriver driver = new LoadDriver(concurrency);
        try {
            String base = "http://127.0.0.1:" + port;
            Processes.awaitOk(process, base + "/healthz", Duration.ofSeconds(60), log);
            Request request = new Request.Builder().url(base + "/token").post(RequestBody.create(body, FORM)).build();
            driver.run(warmup, i -> request);
            double cpuBefore = ProcessCpu.seconds(process.pid());
            Run run = driver.run(requests, i -> request);
            double cpu = ProcessCpu.seconds(process.pid()) - cpuBefore;
            return new Result(server, round, run, cpu * 1e6 / requests, ProcessMemory.of(process.pid()));
        } finally {
            driver.close();
            Processes.stop(process);
        }
    }

    private static void summary(List<String> servers, List<Result> results, String classpath) {
        Map<String, double[]> means = new LinkedHashMap<>();
        for (String server : servers) {
            List<Result> mine = results.stream().filter(r -> r.server().equals(server)).toList();
            means.put(server, new double[] {
                    mine.stream().mapToDouble(r -> r.run().perSecond()).average().orElse(Double.NaN),
                    mine.stream().mapToDouble(Result::cpuMicrosPerRequest).average().orElse(Double.NaN),
                    mine.stream().mapToDouble(r -> r.memory().rssMib()).average().orElse(Double.NaN),
                    jarKib(server, classpath)});
        }
        double[] jetty = means.get("jetty");
        System.out.printf("%nmean over rounds     req/s  CPU µs/req  RSS MiB  jars KiB%n");
        means.forEach((server, m) -> System.out.printf("%-13s %,12.0f %11.1f %8.0f %9.0f%n", server, m[0], m[1], m[2],
                m[3]));
        if (jetty != null) {
            means.forEach((server, m) -> {
                if (!server.equals("jetty")) {
                    System.out.printf("RATIO %s/jetty: req/s %.2f×, CPU per request %.2f×, RSS %.2f×, jars %.2f×%n",
                            server, m[0] / jetty[0], m[1] / jetty[1], m[2] / jetty[2], m[3] / jetty[3]);
                }
            });
        }
    }

    private static double jarKib(String server, String classpath) {
        long bytes = 0;
        for (String jar : classpath.split(File.pathSeparator)) {
            if (JARS.getOrDefault(server, List.of()).stream().anyMatch(jar::contains)) {
                bytes += new File(jar).length();
            }
        }
        return bytes / 1024.0;
    }

    /** An RFC 8693 request as a GitHub Actions job sends it: about 1.5 KB, most of it the RS256 OIDC token. */
    static byte[] tokenRequest() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5t\":\"ykNaY4qM_ta4k2TgZOCEYLkcYlA\","
                + "\"kid\":\"38826b17-6a30-5f9b-b169-8beb8202f723\"}";
        String claims = "{\"jti\":\"6f6ecd2c-5ee4-4b0b-9d0c-7f2b1e6d2a10\",\"sub\":\"repo:octo-org/octo-repo:ref:"
                + "refs/heads/main\",\"aud\":\"https://ec.example.com\",\"ref\":\"refs/heads/main\",\"sha\":"
                + "\"d0f0a6fbc2a5a0c9c34e2e6f1e5d7d29b8e0b4a1\",\"repository\":\"octo-org/octo-repo\","
                + "\"repository_owner\":\"octo-org\",\"repository_owner_id\":\"12345678\",\"run_id\":\"9876543210\","
                + "\"run_number\":\"42\",\"run_attempt\":\"1\",\"repository_visibility\":\"private\","
                + "\"repository_id\":\"87654321\",\"actor_id\":\"1234567\",\"actor\":\"octocat\",\"workflow\":"
                + "\"release\",\"head_ref\":\"\",\"base_ref\":\"\",\"event_name\":\"push\",\"ref_type\":\"branch\","
                + "\"ref_protected\":\"true\",\"environment\":\"production\",\"job_workflow_ref\":\"octo-org/octo-repo/"
                + ".github/workflows/release.yml@refs/heads/main\",\"iss\":\"https://token.actions.githubusercontent"
                + ".com\",\"nbf\":1764851400,\"exp\":1764852000,\"iat\":1764851700}";
        byte[] signature = new byte[256];
        new java.util.Random(12).nextBytes(signature);
        String jwt = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(signature);
        return ("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=" + jwt
                + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Ajwt"
                + "&audience=deploy-production").getBytes(StandardCharsets.UTF_8);
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name + "; run bench/http-servers, which passes it");
        }
        return value;
    }
}
