package io.github.ephemeralcredentials.bench.load;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.github.ephemeralcredentials.bench.load.Paired.Round;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import okhttp3.Credentials;

/**
 * The load benchmark of issue 12 ({@code bench/service-load}): the token-exchange service in its own JVM and Keycloak's
 * RFC 7523 jwt-bearer grant, both driven from this one at a fixed concurrency with fresh RS256 CI tokens and measured
 * in paired rounds (see {@link Paired}); then, when {@code redis-server} is installed, the service alone on a Redis
 * store. Prints one line per series and a ratio line; progress goes to stderr.
 */
public final class ServiceLoad {

    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    static final String PROFILE = "internal-api";
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
     * A server under load: its token endpoint, the audience its tokens must carry, how a token becomes a request body,
     * the Authorization header (or null), and the process whose CPU and memory are read.
     */
    private record Target(String name, String url, String audience, Function<String, String> form,
                          String authorization, long pid) {
    }

    /** What a warm-up mints during its last batches for what follows it: this many tokens, minted by {@code start}. */
    private record Ahead<T>(int tokens, Supplier<CompletableFuture<T>> start) {

        static Ahead<Void> nothing() {
            return new Ahead<>(0, () -> CompletableFuture.completedFuture(null));
        }
    }

    /** A warm-up's last batch's rate, and what it minted for what follows it. */
    private record Warmed<T>(double perSecond, CompletableFuture<T> ahead) {
    }

    /** One round's request bodies: for the service's run and for Keycloak's. */
    private record RoundBodies(List<String> service, List<String> keycloak) {
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
            String ratio;
            if (options.keycloak()) {
                Paired paired = load.paired();
                report(lines, paired.service().line());
                report(lines, paired.keycloak().line());
                ratio = paired.ratioLine();
            } else {
                report(lines, load.single("SERVICE", "memory").line());
                ratio = "RATIO    skipped: no Keycloak series (--no-keycloak)";
            }
            // The service and Keycloak have stopped by now, so the Redis series has the machine to itself.
            Optional<Path> redisServer = RedisProcess.find();
            if (options.redis() && redisServer.isPresent()) {
                try (RedisProcess redis = RedisProcess.start(redisServer.get(), options.work().resolve("redis"))) {
                    report(lines, load.single("REDIS", redis.uri()).line());
                }
            } else {
                lines.add("REDIS    skipped: " + (options.redis() ? "no redis-server on the PATH" : "--no-redis"));
            }
            lines.add(ratio);
        }
        System.out.println();
        lines.forEach(System.out::println);
    }

    /** A series' line on stdout as soon as it is measured, and again in the summary. */
    private static void report(List<String> lines, String line) {
        lines.add(line);
        System.out.println(line);
    }

    /** The service on {@code store}, alone: started, warmed up, measured in one run, its memory read, stopped. */
    private Series single(String name, String store) throws Exception {
        try (ServiceProcess process = startService(name, store)) {
            Target service = serviceTarget(name, process);
            int requests = options.serviceRequests();
            Warmed<List<String>> warmed = warmUp(service, options.serviceWarmup(), oneRun(service, requests));
            warnIfStale(requests / warmed.perSecond(), String.format("%d requests at the warm-up's %.0f/s",
                    requests, warmed.perSecond()));
            Measured run = phase(service, "measured", warmed.ahead().join(), requests);
            return Series.of(name, List.of(run), ProcessMemory.of(service.pid()));
        }
    }

    /**
     * The memory-store service and Keycloak, both running, measured in paired rounds. The service is warmed up first,
     * then Keycloak, whose last warm-up batches mint every round's tokens for both servers.
     */
    private Paired paired() throws Exception {
        Path home = keycloakHome();
        try (ServiceProcess process = startService("SERVICE", "memory")) {
            Target service = serviceTarget("SERVICE", process);
            warmUp(service, options.serviceWarmup(), Ahead.nothing());
            try (KeycloakProcess keycloakProcess = startKeycloak(home)) {
                Target keycloak = keycloakTarget(keycloakProcess);
                Warmed<List<RoundBodies>> warmed = warmUp(keycloak, options.keycloakWarmup(),
                        roundBodies(service, keycloak));
                return rounds(service, keycloak, warmed.ahead().join());
            }
        }
    }

    /**
     * An uncounted settle round, then the counted rounds, each with its progress line; memory is read after the last.
     * The settle round re-warms the service, idle for the minutes of Keycloak's start and warm-up, and both servers'
     * connection code, since every run opens new connections.
     */
    private Paired rounds(Target service, Target keycloak, List<RoundBodies> bodies) throws Exception {
        int rounds = options.rounds();
        long started = System.nanoTime();
        round(service, keycloak, "settle round", bodies.get(0));
        double settle = (System.nanoTime() - started) / 1e9;
        warnIfStale(rounds * settle, rounds + " rounds at the settle round's pace");
        List<Round> counted = new ArrayList<>();
        for (int k = 1; k <= rounds; k++) {
            Round round = round(service, keycloak, "round " + k + "/" + rounds, bodies.get(k));
            progress(round.progress(k, rounds));
            counted.add(round);
        }
        return Paired.of(counted, ProcessMemory.of(service.pid()), ProcessMemory.of(keycloak.pid()));
    }

    private Round round(Target service, Target keycloak, String label, RoundBodies bodies) throws Exception {
        return new Round(phase(service, label, bodies.service(), options.serviceRequestsPerRound()),
                phase(keycloak, label, bodies.keycloak(), options.keycloakRequestsPerRound()));
    }

    private ServiceProcess startService(String name, String store) throws Exception {
        ServiceProcess process = ServiceProcess.start(options.java(), options.serviceJvmOptions(), options.jar(),
                options.work().resolve(name.toLowerCase()), ci.url(), store);
        progress(name + ": service pid " + process.pid() + " at " + process.url() + ", store " + store);
        return process;
    }

    private static Target serviceTarget(String name, ServiceProcess process) {
        return new Target(name, process.url() + "/token", process.url(), ServiceLoad::exchangeForm, null,
                process.pid());
    }

    static String exchangeForm(String token) {
        return "grant_type=" + encode(TOKEN_EXCHANGE) + "&subject_token=" + token + "&subject_token_type="
                + encode(JWT_TYPE) + "&audience=" + PROFILE;
    }

    /** The unpacked Keycloak, checked before the service's warm-up rather than minutes later. */
    private Path keycloakHome() {
        Path home = options.keycloakHome();
        if (home == null || !Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("give --keycloak-home (the unpacked keycloak-quarkus-dist; got '" + home
                    + "'), or --no-keycloak");
        }
        return home;
    }

    /** Keycloak started with its realm set up. */
    private KeycloakProcess startKeycloak(Path home) throws Exception {
        progress("KEYCLOAK: starting " + home.getFileName() + " on " + options.keycloakJavaHome() + " with "
                + options.keycloakHeap());
        KeycloakProcess keycloak = KeycloakProcess.start(home, options.keycloakJavaHome(), options.keycloakHeap(), ci,
                subjects());
        progress("KEYCLOAK: server pid " + keycloak.serverPid() + ", realm " + keycloak.issuer());
        return keycloak;
    }

    private static Target keycloakTarget(KeycloakProcess keycloak) {
        return new Target("KEYCLOAK", keycloak.tokenEndpoint(), keycloak.issuer(), KeycloakProcess::form,
                Credentials.basic(KeycloakProcess.CLIENT, keycloak.clientSecret()), keycloak.serverPid());
    }

    /**
     * Warms a server up with {@code warmup} requests in batches, each a run of its own as the measured ones are: each
     * run opens and closes its connections, and a server warmed up by one long run deoptimised its connection code when
     * the measured run opened new ones (C2 had compiled it without those paths), recompiling during the measurement.
     * Batches take about a minute once the rate is known, since Keycloak refuses an assertion 300 s after its iat.
     *
     * @param then what to mint during the last batches, for what follows the warm-up
     */
    private <T> Warmed<T> warmUp(Target target, int warmup, Ahead<T> then) throws Exception {
        int done = 0;
        int batch = Math.min(2_000, warmup);
        double rate = 0;
        CompletableFuture<List<String>> next = ahead(driver.bodiesFor(batch), target);
        CompletableFuture<T> following = null;
        while (done < warmup) {
            int n = batch;
            List<String> bodies = next.join();
            done += n;
            // The next batch is minted while this one runs, so its size comes from the rate of the one before.
            batch = (int) Math.min(warmup - done, rate == 0 ? 2_000 : Math.max(1_000, Math.min(30_000, rate * 60)));
            next = done < warmup ? ahead(driver.bodiesFor(batch), target) : null;
            // What follows must be ready when the warm-up ends: a server left idle while its bodies were minted (20 s
            // for the service's 100,000) deoptimised, and recompiled during the measurement. So they are minted from
            // the batch on which the warm-up left takes no longer than minting them.
            double left = rate == 0 ? Double.MAX_VALUE : (warmup - done + n) / rate;
            if (following == null && (next == null || left <= 1.5 * then.tokens() / mintedPerSecond)) {
                following = then.start().get();
            }
            rate = phase(target, "warm-up (" + done + "/" + warmup + ")", bodies, n).run().perSecond();
        }
        return new Warmed<>(rate, following);
    }

    /** Tokens older than 300 s are refused: says so when what was minted ahead may be used that late. */
    private static void warnIfStale(double seconds, String what) {
        if (seconds > 180) {
            progress(String.format("  warning: %s take about %.0f s; tokens older than 300 s are refused and count as "
                    + "errors: lower the measured count", what, seconds));
        }
    }

    /** Every CI subject the benchmark's tokens carry (the claims repeat every 840 tokens). */
    private static List<String> subjects() {
        return List.copyOf(IntStream.range(0, 840).mapToObj(i -> GitHubClaims.forToken(i).subject())
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /** The bodies of one measured run of {@code requests}, minted ahead. */
    private Ahead<List<String>> oneRun(Target target, int requests) {
        int bodies = driver.bodiesFor(requests);
        return new Ahead<>(bodies, () -> ahead(bodies, target));
    }

    /**
     * Every round's bodies for both servers, the settle round's first. They are all minted before the rounds: minting
     * (an RS256 signature per token, in this JVM) during a measured run would take CPU from the server measured. The
     * service's are minted first and Keycloak's last, nearer their use, for Keycloak's 300 s.
     */
    private Ahead<List<RoundBodies>> roundBodies(Target service, Target keycloak) {
        int runs = options.rounds() + 1;
        int serviceBodies = driver.bodiesFor(options.serviceRequestsPerRound());
        int keycloakBodies = driver.bodiesFor(options.keycloakRequestsPerRound());
        return new Ahead<>(runs * (serviceBodies + keycloakBodies), () -> {
            Supplier<List<String>> forService = minting(runs * serviceBodies, service);
            Supplier<List<String>> forKeycloak = minting(runs * keycloakBodies, keycloak);
            return CompletableFuture.supplyAsync(() -> {
                List<String> s = forService.get();
                List<String> k = forKeycloak.get();
                return IntStream.range(0, runs).mapToObj(r -> new RoundBodies(
                        s.subList(r * serviceBodies, (r + 1) * serviceBodies),
                        k.subList(r * keycloakBodies, (r + 1) * keycloakBodies))).toList();
            }, ServiceLoad::daemon);
        });
    }

    /**
     * {@code count} request bodies for {@code target}, each with a fresh token, minted on another thread while the phase
     * before them runs. The next phase then starts as soon as that one ends: a server left idle for the ten seconds that
     * minting takes deoptimised what its warm-up had compiled, and the measured phase spent 11% of the service's CPU
     * recompiling.
     */
    private CompletableFuture<List<String>> ahead(int count, Target target) {
        return CompletableFuture.supplyAsync(minting(count, target), ServiceLoad::daemon);
    }

    /** {@code count} request bodies for {@code target}: their tokens numbered now, on this thread, and minted when got. */
    private Supplier<List<String>> minting(int count, Target target) {
        int first = minted;
        minted += count;
        return () -> {
            long started = System.nanoTime();
            List<String> tokens = ci.mint(count, target.audience(), TOKEN_LIFETIME,
                    i -> GitHubClaims.forToken(first + i));
            double seconds = (System.nanoTime() - started) / 1e9;
            mintedPerSecond = count / seconds;
            progress(String.format("  minted %d RS256 tokens for %s in %.1f s", count, target.name(), seconds));
            return tokens.stream().map(target.form()).toList();
        };
    }

    /** One wrk run against {@code target}, with the CPU its server spent during it; its progress line on stderr. */
    private Measured phase(Target target, String label, List<String> bodies, int answers) throws Exception {
        double serverBefore = ProcessCpu.seconds(target.pid());
        double generatorBefore = ProcessCpu.childrenSeconds();
        Run run = driver.run(target.url(), bodies, answers, target.authorization());
        Measured measured = new Measured(run, ProcessCpu.seconds(target.pid()) - serverBefore);
        double generator = (ProcessCpu.childrenSeconds() - generatorBefore) * 1e6 / run.requests();
        progress(String.format("  %s %s: %d requests in %.1f s, %.0f/s, p50 %.2f ms, p99 %.2f ms, errors %d%s; CPU "
                        + "per request: server %.0f us, load generator %.0f us", target.name(), label, run.requests(),
                run.nanos() / 1e9, run.perSecond(), run.millisAt(0.5), run.millisAt(0.99), run.errors(),
                run.firstError() == null ? "" : " (first: " + run.firstError() + ")",
                measured.cpuMicrosPerRequest(), generator));
        return measured;
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
