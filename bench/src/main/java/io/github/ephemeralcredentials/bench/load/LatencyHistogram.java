package io.github.ephemeralcredentials.bench.load;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many requests took each whole number of microseconds: a run's latencies, or several runs' merged. The histogram
 * is kept rather than its quantiles because quantiles of separate runs cannot be merged (the worst run's p99 is only
 * an upper bound, and a stall in one run can put it over a target though its requests are a fraction of a percent
 * of all runs'), and histograms can: the merged histogram's p99 is exactly that of every request of every run.
 *
 * @param countsByMicros each latency in microseconds that some request took, to how many took it (more than none)
 */
record LatencyHistogram(NavigableMap<Long, Long> countsByMicros) {

    private static final Pattern ENTRY = Pattern.compile("(\\d{1,18}):(\\d{1,18})");

    LatencyHistogram {
        countsByMicros = Collections.unmodifiableNavigableMap(new TreeMap<>(countsByMicros));
        countsByMicros.forEach((micros, count) -> {
            if (micros < 0 || count <= 0) {
                throw new IllegalArgumentException("a latency of " + micros + " us taken by " + count + " requests");
            }
        });
    }

    /**
     * The histogram wrk's script prints ({@code wrk/exchange.lua}): {@code micros:count} entries separated by spaces,
     * none for a run that read no answer.
     *
     * @throws IllegalArgumentException if an entry is not two whole numbers
     */
    static LatencyHistogram parse(String entries) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        for (String entry : entries.isBlank() ? new String[0] : entries.trim().split(" +")) {
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a latency histogram entry (micros:count): '" + entry + "'");
            }
            counts.merge(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long::sum);
        }
        return new LatencyHistogram(counts);
    }

    /** Latencies measured in nanoseconds, each to the nearest microsecond. */
    static LatencyHistogram ofNanos(long[] nanos) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        for (long n : nanos) {
            counts.merge(Math.round(n / 1e3), 1L, Long::sum);
        }
        return new LatencyHistogram(counts);
    }

    /** The latencies of all of {@code histograms}' requests together. */
    static LatencyHistogram merged(List<LatencyHistogram> histograms) {
        TreeMap<Long, Long> counts = new TreeMap<>();
        histograms.forEach(h -> h.countsByMicros.forEach((micros, count) -> counts.merge(micros, count, Long::sum)));
        return new LatencyHistogram(counts);
    }

    /**
     * How many latencies were counted. For a wrk run that may be more than its requests: wrk adds its correction for
     * coordinated omission (requests a stalled connection would have sent) to its counts, for its own quantiles too.
     */
    long count() {
        return countsByMicros.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The latency at quantile {@code q} (0.99 for p99) in milliseconds, NaN when there is none. The rank is wrk's
     * ({@code stats_percentile}: the least latency whose cumulative count reaches round(q × count + 0.5)), so that a
     * single run's quantiles are those wrk reports.
     */
    double millisAt(double q) {
        long count = count();
        if (count == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, Math.min(count, Math.round(q * count + 0.5)));
        long seen = 0;
        for (Map.Entry<Long, Long> entry : countsByMicros.entrySet()) {
            seen += entry.getValue();
            if (seen >= rank) {
                return entry.getKey() / 1e3;
            }
        }
        throw new AssertionError("rank " + rank + " beyond count " + count);
    }
}
