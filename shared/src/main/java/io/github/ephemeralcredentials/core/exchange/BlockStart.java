package io.github.ephemeralcredentials.core.exchange;

import java.util.Objects;
import java.util.Optional;

/**
 * The window between an exchange that issued a credential and the start of the block that uses it (a Pipeline body,
 * say), where an abort must not leave the credential alive until it expires. Whoever learns last that the block will
 * not run takes the credential back, and only one of them does:
 *
 * <ul>
 *   <li>an abort that arrives after {@link #issued} and before {@link #start} gets the record from {@link #abort} and
 *       revokes it; the starter then sees {@link #start} return false and starts nothing;</li>
 *   <li>an abort that arrives before {@link #issued} (while the provider call was in flight) makes {@link #issued}
 *       return false: the exchanging side revokes what it just got;</li>
 *   <li>once {@link #start} returned true, the block's own end revokes, and {@link #abort} returns nothing.</li>
 * </ul>
 *
 * Thread-safe: the exchange runs on one thread, an abort arrives on another.
 */
public final class BlockStart {

    private enum State { EXCHANGING, ISSUED, STARTED, ABORTED }

    private State state = State.EXCHANGING;
    private CleanupRecord record;

    /**
     * The exchange issued a credential.
     *
     * @return true to go on towards {@link #start}; false if the block was aborted meanwhile: the caller revokes
     *         {@code issued} now, since nobody else will
     */
    public synchronized boolean issued(CleanupRecord issued) {
        Objects.requireNonNull(issued, "issued");
        if (state == State.ABORTED) {
            return false;
        }
        if (state != State.EXCHANGING) {
            throw new IllegalStateException("a credential was already issued for this block (" + state + ")");
        }
        record = issued;
        state = State.ISSUED;
        return true;
    }

    /**
     * The block is about to start with the issued credential.
     *
     * @return true to start it (its end revokes from now on); false if it was aborted: start nothing, the aborting side
     *         revoked (or is revoking) the credential
     */
    public synchronized boolean start() {
        if (state == State.ABORTED) {
            return false;
        }
        if (state != State.ISSUED) {
            throw new IllegalStateException("the block can start only after a credential was issued (" + state + ")");
        }
        state = State.STARTED;
        record = null;
        return true;
    }

    /**
     * The block is aborted.
     *
     * @return the record to revoke now, if a credential was issued and its block not started; empty otherwise (nothing
     *         issued yet, in which case {@link #issued} will say so, or the block already owns it)
     */
    public synchronized Optional<CleanupRecord> abort() {
        if (state == State.STARTED || state == State.ABORTED) {
            return Optional.empty();
        }
        Optional<CleanupRecord> toRevoke = Optional.ofNullable(record);
        record = null;
        state = State.ABORTED;
        return toRevoke;
    }

    /** True once the block started with the credential (its end revokes it). */
    public synchronized boolean started() {
        return state == State.STARTED;
    }
}
