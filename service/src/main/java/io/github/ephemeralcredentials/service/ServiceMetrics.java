package io.github.ephemeralcredentials.service;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * The service's Prometheus metrics. Label values come from a closed set (configured profile names, outcome codes),
 * never from request text, so a caller cannot blow up the series count or smuggle a token into a label.
 */
final class ServiceMetrics {

    /** The label for a profile the policy does not define: what a request said stays out of the metrics. */
    static final String OTHER_PROFILE = "-";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter exchanges;
    private final Counter replays;
    private final Histogram latency;
    private final Counter anomalies;
    private final Counter onPool;

    /** @param jwksAge seconds since each trusted issuer's keys were fetched, by issuer; NaN before the first fetch */
    ServiceMetrics(Set<String> issuers, java.util.function.ToDoubleFunction<String> jwksAge) {
        exchanges = Counter.builder().name("ec_exchanges_total")
                .help("Token exchanges by profile and outcome (issued, denied, failed, invalid, limited, replayed)")
                .labelNames("profile", "outcome").register(registry);
        replays = Counter.builder().name("ec_replays_rejected_total")
                .help("CI tokens presented again for the same profile within their lifetime").register(registry);
        latency = Histogram.builder().name("ec_exchange_duration_seconds")
                .help("Time to answer POST /token, verification and provider call included")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(registry);
        anomalies = Counter.builder().name("ec_anomalies_total")
                .help("Exchanges the anomaly detector flagged, by signal and profile (see docs/cli.md, inventory)")
                .labelNames("signal", "profile").register(registry);
        onPool = Counter.builder().name("ec_exchanges_on_pool_total")
                .help("Token exchanges handed to a pool thread because they wait on a peer (a JWKS fetch, Redis, a "
                        + "provider's HTTP call); the rest are answered on the thread that read them")
                .register(registry);
        GaugeWithCallback.builder().name("ec_jwks_age_seconds")
                .help("Seconds since each trusted CI issuer's keys were last fetched (NaN: not yet)")
                .labelNames("issuer")
                .callback(cb -> issuers.forEach(issuer -> cb.call(jwksAge.applyAsDouble(issuer), issuer)))
                .register(registry);
    }

    void exchange(String profile, Set<String> known, String outcome, long nanos) {
        exchanges.labelValues(known.contains(profile) ? profile : OTHER_PROFILE, outcome).inc();
        latency.observe(nanos / 1e9);
    }

    /** One flagged exchange: signal names are the core's closed set, profiles the policy's own. */
    void anomaly(String signal, String profile, Set<String> known) {
        anomalies.labelValues(signal, known.contains(profile) ? profile : OTHER_PROFILE).inc();
    }

    void exchangeOnPool() {
        onPool.inc();
    }

    void replayRejected() {
        replays.inc();
    }

    String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
