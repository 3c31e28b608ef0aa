package io.github.ephemeralcredentials.core.audit.anomaly;

/** An unusual use worth a look; the name is the stable code written to the audit record and the metrics. */
public enum Signal {
    /** The subject asked for a profile it was never issued before (it was seen before, with other profiles). */
    NEW_PROFILE_FOR_SUBJECT,
    /** The subject was denied at least {@link Thresholds#denialBurst()} times within {@link Thresholds#denialWindow()}. */
    DENIAL_BURST,
    /** The subject's exchanges in the current rate window are far above its usual per-window rate. */
    RATE_SPIKE,
    /** The token's issuer was never seen for this profile's issued credentials before. */
    NEW_ISSUER_FOR_PROFILE,
    /** The token's {@code runner_environment} was never seen for this profile's issued credentials before. */
    NEW_RUNNER_ENVIRONMENT_FOR_PROFILE
}
