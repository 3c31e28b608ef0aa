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

    private ServiceLoad(LoadOptions options, CiIssuer ci, Path wrk) {
        this.options = options;
        this.ci = ci;
        // Two event loops, one per core, as wrk's own documentation advises: threads = cores.
        this.driver = new WrkDriver(wrk, options.concurrency(), 2, options.work().resolve("wrk"));
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
            phase(name + " warm-up", url, forms(options.serviceWarmup(), service.url()), options.serviceWarmup(), null,
                    service.pid());
            return measure(name, url, forms(options.serviceRequests(), service.url()), options.serviceRequests(), null,
                    service.pid());
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
            int left = options.keycloakWarmup();
            int batch = Math.min(2_000, left);
            double rate = 0;
            while (left > 0) {
                int n = Math.min(batch, left);
                Run run = phase("KEYCLOAK warm-up (" + (options.keycloakWarmup() - left + n) + "/"
                        + options.keycloakWarmup() + ")", url, assertions(n, keycloak.issuer()), n, basic,
                        keycloak.serverPid());
                left -= n;
                // Batches that take about a minute: each assertion must be used within 300 s of its iat.
                batch = (int) Math.max(1_000, Math.min(30_000, run.perSecond() * 60));
                rate = run.perSecond();
            }
            if (rate > 0 && options.keycloakRequests() / rate > 240) {
                progress(String.format("  warning: %d grants at the warm-up's %.0f/s take about %.0f s; assertions "
                        + "older than 300 s are refused and count as errors: lower --keycloak-requests",
                        options.keycloakRequests(), rate, options.keycloakRequests() / rate));
            }
            return measure("KEYCLOAK", url, assertions(options.keycloakRequests(), keycloak.issuer()),
                    options.keycloakRequests(), basic, keycloak.serverPid());
        }
    }

    /** Every CI subject the benchmark's tokens carry (the claims repeat every 840 tokens). */
    private static List<String> subjects() {
        return List.copyOf(IntStream.range(0, 840).mapToObj(i -> GitHubClaims.forToken(i).subject())
                .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
    }

    /** Token-exchange forms for {@code answers} answers (and the driver's spares), each with a fresh CI token. */
    private List<String> forms(int answers, String audience) {
        return mint(driver.bodiesFor(answers), audience).stream().map(ServiceLoad::exchangeForm).toList();
    }

    /** jwt-bearer forms for {@code answers} answers (and the driver's spares), each with a fresh assertion. */
    private List<String> assertions(int answers, String audience) {
        return mint(driver.bodiesFor(answers), audience).stream().map(KeycloakProcess::form).toList();
    }

    private List<String> mint(int count, String audience) {
        long started = System.nanoTime();
        int first = minted;
        minted += count;
        List<String> tokens = ci.mint(count, audience, TOKEN_LIFETIME, i -> GitHubClaims.forToken(first + i));
        progress(String.format("  minted %d RS256 tokens in %.1f s", count, (System.nanoTime() - started) / 1e9));
        return tokens;
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

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static void progress(String message) {
        System.err.println("service-load: " + message);
    }
}
