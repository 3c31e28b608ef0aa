package io.github.ephemeralcredentials.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The service and Keycloak measured in paired rounds: each round one run against the service, then one against
 * Keycloak, seconds apart. This machine's speed drifts by a quarter within a minute, so a ratio of two runs taken
 * minutes apart measured the drift as much as the servers; within a round both see about the same machine, and the
 * median of the rounds' ratios is what the target is judged on.
 *
 * @param service  the service's series over the counted rounds
 * @param keycloak Keycloak's series over the counted rounds
 * @param rounds   the counted rounds, in order
 */
record Paired(Series service, Series keycloak, List<Round> rounds) {

    /** The targets of issue 12. */
    static final double TARGET_RATIO = 10;
    static final double TARGET_P99_MS = 10;
    static final double TARGET_RSS_MIB = 256;

    /** One round: the service's run, then Keycloak's. */
    record Round(Measured service, Measured keycloak) {

        double ratio() {
            return service.run().perSecond() / keycloak.run().perSecond();
        }

        String progress(int k, int of) {
            return String.format("ROUND %d/%d: service %.0f/s (%.0f us/req), keycloak %.0f/s (%.0f us/req), ratio %.1fx",
                    k, of, service.run().perSecond(), service.cpuMicrosPerRequest(), keycloak.run().perSecond(),
                    keycloak.cpuMicrosPerRequest(), ratio());
        }
    }

    /** The counted rounds, with each server's memory read after the last of them. */
    static Paired of(List<Round> rounds, ProcessMemory serviceMemory, ProcessMemory keycloakMemory) {
        return new Paired(Series.of("SERVICE", rounds.stream().map(Round::service).toList(), serviceMemory),
                Series.of("KEYCLOAK", rounds.stream().map(Round::keycloak).toList(), keycloakMemory),
                List.copyOf(rounds));
    }

    /** Each round's throughput ratio, service over Keycloak, in round order. */
    List<Double> ratios() {
        return rounds.stream().map(Round::ratio).toList();
    }

    double median() {
        List<Double> sorted = ratios().stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /**
     * The service's p99 in its worst round, shown but not judged: a stall in one round makes that round's p99 although
     * its requests are a fraction of a percent of the series'.
     */
    double worstRoundP99Millis() {
        return rounds.stream().mapToDouble(r -> r.service().run().millisAt(0.99)).max().orElseThrow();
    }

    /**
     * The verdict: throughput on the median round's ratio, p99 on all counted rounds' requests together (the series'
     * p99), memory on the service's peak, and any error in a counted round misses.
     */
    String ratioLine() {
        List<Double> ratios = ratios();
        double p99 = service.run().millisAt(0.99);
        List<String> missed = new ArrayList<>();
        if (median() < TARGET_RATIO) {
            missed.add(String.format("throughput median %.1fx < %.0fx", median(), TARGET_RATIO));
        }
        if (p99 >= TARGET_P99_MS) {
            missed.add(String.format("p99 %.2f ms over all rounds", p99));
        }
        if (service.memory().hwmMib() >= TARGET_RSS_MIB || service.memory().hwmMib() < 0) {
            missed.add(String.format("peak rss %.0f MiB", service.memory().hwmMib()));
        }
        if (service.run().errors() > 0 || keycloak.run().errors() > 0) {
            missed.add("errors");
        }
        return String.format("RATIO    service/keycloak throughput: median of %d paired rounds=%.1fx (rounds: %s; min "
                        + "%.1f max %.1f), service p99 %.2f ms over all rounds (worst round p99 %.2f ms)  (target "
                        + "≥%.0fx at service p99 < %.0f ms, service rss < %.0f MiB: %s)",
                ratios.size(), median(), ratios.stream().map(r -> String.format("%.1f", r))
                        .collect(Collectors.joining(" ")), ratios.stream().mapToDouble(r -> r).min().orElseThrow(),
                ratios.stream().mapToDouble(r -> r).max().orElseThrow(), p99, worstRoundP99Millis(), TARGET_RATIO,
                TARGET_P99_MS, TARGET_RSS_MIB, missed.isEmpty() ? "MET" : "MISSED: " + String.join(", ", missed));
    }
}
