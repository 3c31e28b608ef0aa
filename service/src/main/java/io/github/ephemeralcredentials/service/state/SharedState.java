package io.github.ephemeralcredentials.service.state;

import java.time.Duration;

/**
 * What the service's replicas must agree on: which CI tokens were already exchanged, which
 * issued tokens were revoked, and how many requests a subject
 * or a profile made lately. In memory for one replica; in Redis for several behind a load balancer.
 *
 * <p>Every method fails closed: when the store cannot answer it throws {@link StateUnavailableException} and the
 * service refuses the request, because accepting a token it cannot prove unused would make replay possible.
 */
public interface SharedState extends AutoCloseable {

    /**
     * Records {@code key} (a token's {@code jti} or hash, with the audience it was presented for) for {@code ttl}.
     *
     * @return true the first time, false when the key was recorded and has not expired
     * @throws StateUnavailableException when the store cannot answer
     */
    boolean firstUse(String key, Duration ttl);

    /**
     * Whether {@code key} was recorded by {@link #firstUse} and has not expired; records nothing.
     *
     * @throws StateUnavailableException when the store cannot answer
     */
    boolean recorded(String key);

    /**
     * Keeps {@code value} under {@code key} for {@code ttl}, replacing what was there: what a replica issued, for
     * whichever replica is asked to revoke it. Values are opaque to the store (the service encrypts them).
     *
     * @throws StateUnavailableException when the store cannot answer, or is full
     */
    void keep(String key, String value, Duration ttl);

    /**
     * Removes and returns the value kept under {@code key}, atomically: of two replicas taking it at once, one gets it.
     *
     * @throws StateUnavailableException when the store cannot answer
     */
    java.util.Optional<String> take(String key);

    /**
     * Admits and counts one request against {@code bucket} (e.g. {@code subject:repo:acme/app:ref:refs/heads/main})
     * when it keeps the bucket within {@code limit} requests in the last {@code window}, by {@link SlidingWindow}'s
     * rule; a refused request is not counted.
     *
     * @return whether the request was admitted
     * @throws StateUnavailableException when the store cannot answer
     */
    boolean withinLimit(String bucket, int limit, Duration window);

    /**
     * Whether every method answers from this process's memory, never waiting on a peer: then the service may run an
     * exchange on the HTTP server's selector thread instead of handing it to a pool thread.
     */
    boolean inProcess();

    /** Whether the store answers now, for {@code /readyz}; never throws. */
    boolean healthy();

    /** Releases connections; never throws. */
    @Override
    void close();
}
