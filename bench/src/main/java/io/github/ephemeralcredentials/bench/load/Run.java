package io.github.ephemeralcredentials.bench.load;

/**
 * What one closed-loop run measured: answers counted, over how long, their latency quantiles and how many were not a
 * token (HTTP status other than 200, or no {@code access_token}); a run with errors is not a measurement.
 */
record Run(int requests, long nanos, double p50Millis, double p99Millis, double p999Millis, int errors,
           String firstError) {

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
