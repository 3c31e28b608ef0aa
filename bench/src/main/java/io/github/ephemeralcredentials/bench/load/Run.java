package io.github.ephemeralcredentials.bench.load;

import java.util.List;
import java.util.Objects;

/**
 * What one closed-loop run measured: answers counted, over how long, their latencies and how many were not a token
 * (HTTP status other than 200, or no {@code access_token}); a run with errors is not a measurement.
 */
record Run(int requests, long nanos, LatencyHistogram latency, int errors, String firstError) {

    /**
     * Several runs as one: requests, time and errors summed, so that {@link #perSecond()} is all the answers over all
     * the measured time, and latencies merged, so that each quantile is that of every request of every run.
     */
    static Run combined(List<Run> runs) {
        return new Run(runs.stream().mapToInt(Run::requests).sum(), runs.stream().mapToLong(Run::nanos).sum(),
                LatencyHistogram.merged(runs.stream().map(Run::latency).toList()),
                runs.stream().mapToInt(Run::errors).sum(),
                runs.stream().map(Run::firstError).filter(Objects::nonNull).findFirst().orElse(null));
    }

    double perSecond() {
        return requests / (nanos / 1e9);
    }

    /** The latency at quantile {@code q} (0.5, 0.99, 0.999), in milliseconds. */
    double millisAt(double q) {
        return latency.millisAt(q);
    }
}
