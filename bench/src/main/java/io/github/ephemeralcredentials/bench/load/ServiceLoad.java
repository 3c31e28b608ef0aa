package io.github.ephemeralcredentials.bench.load;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.IntStream;
import okhttp3.Credentials;

/**
 * The load benchmark of issue 12 ({@code bench/service-load}): the token-exchange service in its own JVM, driven from
 * this one at a fixed concurrency with fresh RS256 CI tokens, then Keycloak's RFC 7523 jwt-bearer grant under the
 * same load, then (when {@code redis-server} is installed) the service again on a Redis store. Prints one line per
 * series and a ratio line; progress goes to stderr.
 */
public final class ServiceLoad {

    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    static final String PROFILE = "internal-api";
    /** The targets of issue 12. */
    static final double TARGET_RATIO = 10;
    static final double TARGET_P99_MS = 10;
    static final double TARGET_RSS_MIB = 256;
    /** CI tokens live this long, like GitHub's; Keycloak refuses assertions older than 300 s anyway. */
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

    private final LoadOptions options;
    private final CiIssuer ci;
    private final WrkDriver driver;
    /** Numbers tokens across series, so that no two tokens share claims and position. */
    private int minted;
    /** How fast tokens were minted last, under load; a guess until the first batch is minted. */
    private volatile double mintedPerSecond = 3_000;

    private ServiceLoad(LoadOptions options, CiIssuer ci, Path wrk) {
        this.options = options;
        this.ci = ci;
        // One event loop keeps 8 connections busy at 10,000 requests/s; a second one (threads = cores, as wrk's
        // documentation advises for a machine of its own) only added context switches on the two cores it shares.
        this.driver = new WrkDriver(wrk, options.concurrency(), 1, options.work().resolve("wrk"));
    }

    /**
     * One measured series: its run, the server's memory after it, and the server's CPU time per request during it
     * (the load generator shares the machine's cores, so this is the cost that carries over to other hardware).
     */
    record Series(String name, Run run, ProcessMemory memory, double cpuMicrosPerRequest) {

        String line() {
            return String.format("%-8s exchanges/s=%.0f  p50=%.2fms  p99=%.2fms  p999=%.2fms  rss=%.0fMiB  hwm=%.0fMiB"
                            + "  cpu=%.0fus/req  errors=%d", name, run.perSecond(), run.millisAt(0.5),
                    run.millisAt(0.99), run.millisAt(0.999), memory.rssMib(), memory.hwmMib(), cpuMicrosPerRequest,
                    run.errors());
        }
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("service-load: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError() == null) {
            // Minting is the benchmark's own slow step (an RS256 signature per token): AWS-LC does it 3.5x faster.
            AmazonCorrettoCryptoProvider.install();
        }
        Optional<Path> wrk = WrkDriver.find();
        if (wrk.isEmpty()) {
            System.err.println("service-load: needs wrk, the load generator: apt-get install -y wrk");
            System.exit(2);
            return;
        }
        List<String> lines = new ArrayList<>();
        try (CiIssuer ci = new CiIssuer()) {
            ServiceLoad load = new ServiceLoad(options, ci, wrk.get());
            progress("concurrency " + options.concurrency() + ", service on " + options.java() + " "
                    + options.serviceJvmOptions() + ", CI issuer " + ci.url());
            Series service = load.service("SERVICE", "memory");
            lines.add(service.line());
            System.out.println(service.line());
            Series keycloak = options.keycloak() ? load.keycloak() : null;
            if (keycloak != null) {
                lines.add(keycloak.line());
                System.out.println(keycloak.line());
            }
            Optional<Path> redisServer = RedisProcess.find();
            if (options.redis() && redisServer.isPresent()) {
                try (RedisProcess redis = RedisProcess.start(redisServer.get(), options.work().resolve("redis"))) {
                    Series onRedis = load.service("REDIS", redis.uri());
                    lines.add(onRedis.line());
                    System.out.println(onRedis.line());
                }
            } else {
                lines.add("REDIS    skipped: " + (options.redis() ? "no redis-server on the PATH" : "--no-redis"));
            }
            lines.add(ratio(service, keycloak));
        }
        System.out.println();
        lines.forEach(System.out::println);
    }

    /** The service on {@code store}: started, warmed up, measured, its memory read, stopped. */
    private Series service(String name, String store) throws Exception {
        Path dir = options.work().resolve(name.toLowerCase());
        try (ServiceProcess service = ServiceProcess.start(options.java(), options.serviceJvmOptions(), options.jar(),
                dir, ci.url(), store)) {
            progress(name + ": service pid " + service.pid() + " at " + service.url() + ", store " + store);
            String url = service.url() + "/token";
            CompletableFuture<List<String>> measured = warmUp(name, url, options.serviceWarmup(),
                    options.serviceRequests(), service.url(), ServiceLoad::exchangeForm, null, service.pid());
            return measure(name, url, measured.join(), options.serviceRequests(), null, service.pid());
        }
    }

    static String exchangeForm(String token) {
        return "grant_type=" + encode(TOKEN_EXCHANGE) + "&subject_token=" + token + "&subject_token_type="
                + encode(JWT_TYPE) + "&audience=" + PROFILE;
    }

    /** Keycloak: started, its realm set up, warmed up in batches of fresh assertions, measured, stopped. */
    private Series keycloak() throws Exception {
        Path home = options.keycloakHome();
        if (home == null) {
            throw new IllegalStateException("give --keycloak-home (the unpacked keycloak-quarkus-dist), or --no-keycloak");
        }
        progress("KEYCLOAK: starting " + home.getFileName() + " on " + options.keycloakJavaHome() + " with "
                + options.keycloakHeap());
        try (KeycloakProcess keycloak = KeycloakProcess.start(home, options.keycloakJavaHome(), options.keycloakHeap(),
                ci, subjects())) {
            progress("KEYCLOAK: server pid " + keycloak.serverPid() + ", realm " + keycloak.issuer());
            String basic = Credentials.basic(KeycloakProcess.CLIENT, keycloak.clientSecret());
            String url = keycloak.tokenEndpoint();
            CompletableFuture<List<String>> measured = warmUp("KEYCLOAK", url, options.keycloakWarmup(),
                    options.keycloakRequests(), keycloak.issuer(), KeycloakProcess::form, basic, keycloak.serverPid());
            return measure("KEYCLOAK", url, measured.join(), options.keycloakRequests(), basic, keycloak.serverPid());
        }
    }

    /**
     * Warms a server up with {@code warmup} requests in batches, each a run of its own as the measured phase is: each
     * run opens and closes its connections, and a server warmed up by one long run deoptimised its connection code when
     * the measured run opened new ones (C2 had compiled it without those paths), recompiling during the measurement.
     * Batches take about a minute once the rate is known, since Keycloak refuses an assertion 300 s after its iat.
     *
     * @return the measured phase's bodies, minted during the last batches
     */
    private CompletableFuture<List<String>> warmUp(String name, String url, int warmup, int requests, String audience,
                                                   Function<String, String> form, String authorization, long pid)
            throws Exception {
        int done = 0;
        int batch = Math.min(2_000, warmup);
        double rate = 0;
        CompletableFuture<List<String>> next = ahead(batch, audience, form);
        CompletableFuture<List<String>> measured = null;
        while (done < warmup) {
            int n = batch;
            List<String> bodies = next.join();
            done += n;
            // The next batch is minted while this one runs, so its size comes from the rate of the one before.
            batch = (int) Math.min(warmup - done, rate == 0 ? 2_000 : Math.max(1_000, Math.min(30_000, rate * 60)));
            next = done < warmup ? ahead(batch, audience, form) : null;
            // The measured bodies must be ready when the warm-up ends: a server left idle while they were minted (20 s
            // for the service's 100,000) deoptimised, and recompiled during the measurement. So they are minted from
            // the batch on which the warm-up left takes no longer than minting them.
            double left = rate == 0 ? Double.MAX_VALUE : (warmup - done + n) / rate;
            if (measured == null && (next == null || left <= 1.5 * requests / mintedPerSecond)) {
                measured = ahead(requests, audience, form);
            }
            rate = phase(name + " warm-up (" + done + "/" + warmup + ")", url, bodies, n, authorization, pid)
                    .perSecond();
        }
        if (requests / rate > 180) {
            progress(String.format("  warning: %d requests at the warm-up's %.0f/s take about %.0f s; tokens older "
                    + "than 300 s are refused and count as errors: lower the measured count", requests, rate,
                    requests / rate));
        }
        return measured;
    }

    /** Every CI subject the benchmark's tokens carry (the claims repeat every 840 tokens). */
    private static List<String> subjects() {
        return List.copyOf(IntStream.range(0, 840).mapToObj(i -> GitHubClaims.forToken(i).subject())
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
    }

    /**
     * The request bodies for {@code answers} answers (and the driver's spares), each with a fresh token, minted on
     * another thread while the phase before them runs. The next phase then starts as soon as that one ends: a server
     * left idle for the ten seconds that minting takes deoptimised what its warm-up had compiled, and the measured
     * phase spent 11% of the service's CPU recompiling.
     */
    private CompletableFuture<List<String>> ahead(int answers, String audience, Function<String, String> form) {
        int count = driver.bodiesFor(answers);
        int first = minted;
        minted += count;
        return CompletableFuture.supplyAsync(() -> {
            long started = System.nanoTime();
            List<String> tokens = ci.mint(count, audience, TOKEN_LIFETIME, i -> GitHubClaims.forToken(first + i));
            double seconds = (System.nanoTime() - started) / 1e9;
            mintedPerSecond = count / seconds;
            progress(String.format("  minted %d RS256 tokens in %.1f s", count, seconds));
            return tokens.stream().map(form).toList();
        }, ServiceLoad::daemon);
    }

    private Series measure(String name, String url, List<String> bodies, int answers, String authorization, long pid)
            throws Exception {
        double serverBefore = ProcessCpu.seconds(pid);
        Run run = phase(name + " measured", url, bodies, answers, authorization, pid);
        double serverCpu = ProcessCpu.seconds(pid) - serverBefore;
        return new Series(name, run, ProcessMemory.of(pid), serverCpu * 1e6 / run.requests());
    }

    private Run phase(String name, String url, List<String> bodies, int answers, String authorization, long pid)
            throws Exception {
        double serverBefore = ProcessCpu.seconds(pid);
        double generatorBefore = ProcessCpu.childrenSeconds();
        Run run = driver.run(url, bodies, answers, authorization);
        double server = (ProcessCpu.seconds(pid) - serverBefore) * 1e6 / run.requests();
        double generator = (ProcessCpu.childrenSeconds() - generatorBefore) * 1e6 / run.requests();
        progress(String.format("  %s: %d requests in %.1f s, %.0f/s, p50 %.2f ms, p99 %.2f ms, errors %d%s; CPU per "
                        + "request: server %.0f us, load generator %.0f us", name, run.requests(), run.nanos() / 1e9,
                run.perSecond(), run.millisAt(0.5), run.millisAt(0.99), run.errors(),
                run.firstError() == null ? "" : " (first: " + run.firstError() + ")", server, generator));
        return run;
    }

    static String ratio(Series service, Series keycloak) {
        if (keycloak == null) {
            return "RATIO    skipped: no Keycloak series (--no-keycloak)";
        }
        double ratio = service.run().perSecond() / keycloak.run().perSecond();
        List<String> missed = new ArrayList<>();
        if (ratio < TARGET_RATIO) {
            missed.add(String.format("throughput %.1fx < %.0fx", ratio, TARGET_RATIO));
        }
        if (service.run().millisAt(0.99) >= TARGET_P99_MS) {
            missed.add(String.format("p99 %.2f ms", service.run().millisAt(0.99)));
        }
        if (service.memory().hwmMib() >= TARGET_RSS_MIB || service.memory().hwmMib() < 0) {
            missed.add(String.format("peak rss %.0f MiB", service.memory().hwmMib()));
        }
        if (service.run().errors() > 0 || keycloak.run().errors() > 0) {
            missed.add("errors");
        }
        return String.format("RATIO    service/keycloak throughput=%.1fx  (target ≥%.0fx at service p99 < %.0f ms, "
                        + "service rss < %.0f MiB: %s)", ratio, TARGET_RATIO, TARGET_P99_MS, TARGET_RSS_MIB,
                missed.isEmpty() ? "MET" : "MISSED: " + String.join(", ", missed));
    }

    /** A thread of its own, not the common pool's one worker on two cores: minting is a parallel stream. */
    private static void daemon(Runnable task) {
        Thread thread = new Thread(task, "minting");
        thread.setDaemon(true);
        thread.start();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static void progress(String message) {
        System.err.println("service-load: " + message);
    }
}
