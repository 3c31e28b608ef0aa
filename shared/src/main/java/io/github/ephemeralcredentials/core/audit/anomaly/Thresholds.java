package io.github.ephemeralcredentials.core.audit.anomaly;

import java.time.Duration;
import java.util.Objects;

/**
 * When {@link AnomalyDetector} raises a {@link Signal}, and how much it remembers.
 *
 * @param denialBurst       denials of one subject within {@code denialWindow} that make a burst (default 5)
 * @param denialWindow      the sliding window for denial bursts (default 10 minutes)
 * @param rateWindow        the window exchange rates are counted in (default 10 minutes)
 * @param rateFactor        a window's count above this many times the subject's usual count is a spike (default 5)
 * @param rateMinimum       and it must also reach this many exchanges, so 1 → 6 is no spike (default 20)
 * @param rateHistory       windows of history a subject needs before its usual rate counts (default 6)
 * @param maxSubjects       subjects remembered at most; the least recently seen are forgotten first (default 10,000)
 * @param maxProfiles       profiles remembered at most (default 10,000)
 * @param maxValuesPerKey   profiles per subject, issuers or runner environments per profile remembered (default 64)
 * @param forgetAfter       state of a subject or profile not seen for this long is dropped (default 30 days)
 */
public record Thresholds(int denialBurst, Duration denialWindow, Duration rateWindow, double rateFactor,
                         int rateMinimum, int rateHistory, int maxSubjects, int maxProfiles, int maxValuesPerKey,
                         Duration forgetAfter) {

    public static final Thresholds DEFAULT = new Thresholds(5, Duration.ofMinutes(10), Duration.ofMinutes(10), 5.0,
            20, 6, 10_000, 10_000, 64, Duration.ofDays(30));

    public Thresholds {
        positive(denialBurst, "denial-burst");
        positive(denialWindow, "denial-window");
        positive(rateWindow, "rate-window");
        if (!(rateFactor > 1.0) || Double.isInfinite(rateFactor)) {
            throw new IllegalArgumentException("rate-factor must be a number above 1, e.g. 5; got " + rateFactor);
        }
        positive(rateMinimum, "rate-minimum");
        positive(rateHistory, "rate-history");
        positive(maxSubjects, "max-subjects");
        positive(maxProfiles, "max-profiles");
        positive(maxValuesPerKey, "max-values-per-key");
        positive(forgetAfter, "forget-after");
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1; got " + value);
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration; got " + value);
        }
    }
}
