package io.github.ephemeralcredentials.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's command line. Counts are requests; each request spends one freshly minted CI token.
 *
 * @param serviceWarmup    exchanges before the service is measured (JIT, connection pools, JWKS cache)
 * @param serviceRequests  exchanges measured, per service series (memory, and Redis when installed)
 * @param keycloakWarmup   jwt-bearer grants before Keycloak is measured
 * @param keycloakRequests jwt-bearer grants measured; they must all be answered within 300 s of minting
 * @param rounds           the paired rounds the memory-store service and Keycloak are measured in, each a
 *                         {@code rounds}th of their measured requests, after one uncounted settle round of that size
 */
record LoadOptions(int concurrency, int serviceWarmup, int serviceRequests, int keycloakWarmup, int keycloakRequests,
                   int rounds, boolean keycloak, boolean redis, Path java, List<String> serviceJvmOptions, Path jar,
                   Path keycloakHome, Path keycloakJavaHome, String keycloakHeap, Path work) {

    /**
     * Under the benchmark's -Xmx128m, MemoryState keeps at most 262,144 unexpired replay keys (a 512th of the heap);
     * each lives until its token's exp plus 60 s. Less the driver's spares.
     */
    static final int MEMORY_STORE_MAX = 260_000;

    /**
     * What the JVM's own ergonomics choose in a container of 512 MiB with up to two CPUs (the serial collector and a
     * quarter of the memory as heap); on this benchmark's 24 GiB machine it would otherwise size the heap for 6 GiB.
     */
    static final List<String> DEFAULT_SERVICE_JVM = List.of("-XX:+UseSerialGC", "-Xmx128m");

    static final String USAGE = """
            usage: bench/service-load [--quick] [--concurrency N] [--service-warmup N] [--service-requests N]
                                      [--keycloak-warmup N] [--keycloak-requests N] [--rounds N] [--no-keycloak]
                                      [--no-redis] [--service-jvm-options "OPTS"] [--keycloak-heap "OPTS"]
              defaults: concurrency 8, service 130000 warm-up + 100000 measured, Keycloak 100000 warm-up + 20000
              measured, in 5 paired rounds (the service's run, then Keycloak's: 20000 and 4000 a round) after
              one uncounted settle round of that size; --quick: 2000 + 5000 and 2000 + 2000 in 2 rounds (a smoke
              run, not a measurement); --no-keycloak measures the service in one run; service JVM options
              -XX:+UseSerialGC -Xmx128m (--service-jvm-options "" for the JVM's defaults)""";

    static LoadOptions parse(String[] args) {
        int concurrency = 8;
        // C2 was still compiling for a fifth of the CPU after 20,000: the warm-up must outlast the JIT, and the measured
        // runs together long enough to be steady (about 10 s). 130,000 rather than 150,000 leaves the memory store room
        // for the settle round: 130,000 + 20,000 + 100,000 replay keys.
        int serviceWarmup = 130_000;
        int serviceRequests = 100_000;
        int keycloakWarmup = 100_000;
        int keycloakRequests = 20_000;
        int rounds = 5;
        boolean keycloak = true;
        boolean redis = true;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> serviceJvm = DEFAULT_SERVICE_JVM;
        Path jar = Path.of("cli/target/ephemeral-credentials.jar");
        Path keycloakHome = null;
        Path keycloakJava = Path.of(System.getProperty("java.home"));
        String keycloakHeap = "-Xms128m -Xmx640m";
        Path work = Path.of("bench/target/service-load");
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                case "--quick" -> {
                    serviceWarmup = 2_000;
                    serviceRequests = 5_000;
                    keycloakWarmup = 2_000;
                    keycloakRequests = 2_000;
                    rounds = 2;
                }
                case "--concurrency" -> concurrency = positive(option, rest);
                case "--service-warmup" -> serviceWarmup = positive(option, rest);
                case "--service-requests" -> serviceRequests = positive(option, rest);
                case "--keycloak-warmup" -> keycloakWarmup = positive(option, rest);
                case "--keycloak-requests" -> keycloakRequests = positive(option, rest);
                case "--rounds" -> rounds = positive(option, rest);
                case "--no-keycloak" -> keycloak = false;
                case "--no-redis" -> redis = false;
                case "--java" -> java = Path.of(value(option, rest));
                case "--service-jvm-options" -> serviceJvm = List.of(value(option, rest).trim().split("\\s+"))
                        .stream().filter(s -> !s.isEmpty()).toList();
                case "--jar" -> jar = Path.of(value(option, rest));
                case "--keycloak-home" -> keycloakHome = Path.of(value(option, rest));
                case "--keycloak-java-home" -> keycloakJava = Path.of(value(option, rest));
                case "--keycloak-heap" -> keycloakHeap = value(option, rest);
                case "--work" -> work = Path.of(value(option, rest));
                default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
            }
        }
        if (keycloak && Math.min(serviceRequests, keycloakRequests) < rounds) {
            throw new IllegalArgumentException("--rounds " + rounds + " leaves a round without requests: each round "
                    + "runs --service-requests / --rounds exchanges and --keycloak-requests / --rounds grants");
        }
        // Paired with Keycloak, the same service process also answers the settle round, before the counted rounds.
        int settle = keycloak ? serviceRequests / rounds : 0;
        if (serviceWarmup + settle + serviceRequests > MEMORY_STORE_MAX) {
            throw new IllegalArgumentException("--service-warmup + --service-requests" + (keycloak
                    ? " + the settle round's --service-requests / --rounds" : "") + " is " + (serviceWarmup + settle
                    + serviceRequests) + ": one service process with store: memory and -Xmx128m holds at most 262,144 "
                    + "unexpired replay keys (each until its token's exp + 60 s) and refuses further tokens with 503; keep "
                    + "the sum at most " + MEMORY_STORE_MAX);
        }
        return new LoadOptions(concurrency, serviceWarmup, serviceRequests, keycloakWarmup, keycloakRequests, rounds,
                keycloak, redis, java, serviceJvm, jar, keycloakHome, keycloakJava, keycloakHeap, work);
    }

    int serviceRequestsPerRound() {
        return serviceRequests / rounds;
    }

    int keycloakRequestsPerRound() {
        return keycloakRequests / rounds;
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return rest.remove(0);
    }

    private static int positive(String option, List<String> rest) {
        String text = value(option, rest);
        try {
            int n = Integer.parseInt(text.replace("_", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a positive whole number, got '" + text + "'");
    }
}
