package io.github.ephemeralcredentials.core.provider;

import com.nimbusds.jwt.JWTParser;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one retry rule of every provider call: exponential backoff with full jitter, only for outcomes a provider
 * marked {@link ProviderException.Reason#UNAVAILABLE} (connection errors, 429, 5xx, {@code IDPCommunicationError},
 * throttling), and never past the CI token's own expiry: when the next attempt would come after the token expires,
 * a fresh token is requested; if that one would not outlive the wait either, the retries stop with a message
 * saying so.
 *
 * @param maxAttempts total attempts including the first
 * @param baseDelay   the first backoff ceiling; ceilings double per attempt
 * @param maxDelay    the largest ceiling
 */
public record Retries(int maxAttempts, Duration baseDelay, Duration maxDelay, Clock clock) {

    /** How long a token must still be valid when an attempt starts. */
    static final Duration IN_FLIGHT_MARGIN = Duration.ofSeconds(5);

    public static final Retries DEFAULT = new Retries(4, Duration.ofMillis(500), Duration.ofSeconds(8), Clock.systemUTC());

    /** For tests: the same rule with no waiting. */
    public static Retries immediate(int maxAttempts) {
        return new Retries(maxAttempts, Duration.ofMillis(1), Duration.ofMillis(1), Clock.systemUTC());
    }

    public Retries {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        Objects.requireNonNull(baseDelay);
        Objects.requireNonNull(maxDelay);
        Objects.requireNonNull(clock);
    }

    /**
     * Runs {@code attempt} with a CI token, retrying as described above.
     *
     * @param provider the provider id, for messages
     * @param ciToken  supplies the CI token; asked again only when the current one would expire before the next try
     * @param attempt  one try; throws {@link ProviderException} (retried only if {@code UNAVAILABLE})
     */
    public <T> T run(String provider, Supplier<String> ciToken, Function<String, T> attempt) {
        String[] token = {ciToken.get()};
        RetryPolicy<T> policy = RetryPolicy.<T>builder()
                .handleIf(e -> e instanceof ProviderException pe && pe.reason() == ProviderException.Reason.UNAVAILABLE)
                .withMaxAttempts(maxAttempts)
                .withDelayFn(ctx -> fullJitter(ctx.getAttemptCount()))
                .build();
        try {
            return Failsafe.with(policy).get(ctx -> {
                if (ctx.getAttemptCount() > 0) {
                    token[0] = tokenValidNow(provider, ciToken, token[0], ctx.getLastException());
                }
                return attempt.apply(token[0]);
            });
        } catch (FailsafeException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ProviderException(provider, ProviderException.Reason.UNAVAILABLE, null,
                    provider + " call was interrupted; try again", e);
        }
    }

    private Duration fullJitter(int attempt) {
        long ceiling = baseDelay.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(ceiling, maxDelay.toMillis());
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(capped + 1));
    }

    private String tokenValidNow(String provider, Supplier<String> ciToken, String current, Throwable last) {
        // A token that expires while the request is in flight is as bad as an expired one.
        Instant usableUntil = clock.instant().plus(IN_FLIGHT_MARGIN);
        if (expiry(current).isAfter(usableUntil)) {
            return current;
        }
        String fresh = ciToken.get();
        if (expiry(fresh).isAfter(usableUntil)) {
            return fresh;
        }
        throw new ProviderException(provider, ProviderException.Reason.UNAVAILABLE, null,
                provider + " did not answer before the CI token expired at " + expiry(current)
                        + " and no fresh token could be had; giving up instead of sending an expired token"
                        + (last == null ? "" : ". Last error: " + last.getMessage()), last);
    }

    /** The token's {@code exp}, read without verification (only to bound our own retries), or far future. */
    static Instant expiry(String token) {
        try {
            Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
            return exp == null ? Instant.MAX : exp.toInstant();
        } catch (ParseException | RuntimeException e) {
            return Instant.MAX;
        }
    }
}
