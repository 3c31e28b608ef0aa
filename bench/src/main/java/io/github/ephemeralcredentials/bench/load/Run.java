package io.github.ephemeralcredentials.bench.load;

import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * What one closed-loop run measured: answers counted, over how long, their latency quantiles and how many were not a
 * token (HTTP status other than 200, or no {@code access_token}); a run with errors is not a measurement.
 */
record Run(int requests, long nanos, double p50Millis, double p99Millis, double p999Millis, int errors,
           String firstError) {

    /**
     * Several runs as one: requests, time and errors summed, so that {@link #perSecond()} is all the answers over all
     * the measured time. Each quantile is the worst run's: wrk reports quantiles, not its histogram, and quantiles of
     * separate runs cannot be merged into those of their union; the worst is an upper bound on it.
     */
    static Run combined(List<Run> runs) {
        return new Run(runs.stream().mapToInt(Run::requests).sum(), runs.stream().mapToLong(Run::nanos).sum(),
                worst(runs, Run::p50Millis), worst(runs, Run::p99Millis), worst(runs, Run::p999Millis),
                runs.stream().mapToInt(Run::errors).sum(),
                runs.stream().map(Run::firstError).filter(Objects::nonNull).findFirst().orElse(null));
    }

    private static double worst(List<Run> runs, ToDoubleFunction<Run> quantile) {
        return runs.stream().mapToDouble(quantile).max().orElseThrow();
    }

    double perSecond() {
        return requests / (nanos / 1e9);
    }

    /** The latency at quantile {@code q}: 0.5, 0.99 or 0.999, in milliseconds. */
    double millisAt(double q) {
        if (q == 0.5) {
            return p50Millis;
        }
        if (q == 0.99) {
            return p99Millis;
        }
        if (q == 0.999) {
            return p999Millis;
        }
        throw new IllegalArgumentException("only the 0.5, 0.99 and 0.999 quantiles are kept, not " + q);
    }
}
