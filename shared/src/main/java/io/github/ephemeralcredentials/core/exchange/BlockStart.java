package io.github.ephemeralcredentials.core.exchange;

/**
 * The window between an exchange and the start of the block that uses its credential (a Pipeline body, say), where an
 * abort must not leave the credential alive until it expires. One rule, decided here so it holds whatever the timing:
 * <b>until the block has started, the side that ran the exchange takes the credential back; once it has started, the
 * block's own end does.</b> The aborting side (often a thread that must not do I/O) only says so, with
 * {@link #abort()}; the exchanging side asks {@link #aborted()} as soon as the exchange returns (the abort may have come
 * while the provider call was in flight) and {@link #start()} right before it starts the block. Exactly one of the two
 * happens: the block starts, or the exchanging side is told to revoke.
 *
 * <p>Thread-safe: the exchange runs on one thread, an abort arrives on another.
 */
public final class BlockStart {

    private boolean started;
    private boolean aborted;

    /**
     * The block is about to start with the issued credential.
     *
     * @return true: start it, its end cleans up from now on; false: it was aborted, so start nothing and take the
     *         credential back now
     */
    public synchronized boolean start() {
        if (started) {
            throw new IllegalStateException("this block has already started");
        }
        started = !aborted;
        return started;
    }

    /**
     * The block is aborted.
     *
     * @return true if it had already started (its end cleans up); false if it never will, in which case the exchanging
     *         side revokes whatever the exchange issued, at {@link #aborted()} or {@link #start()}
     */
    public synchronized boolean abort() {
        aborted = true;
        return started;
    }

    /** True once aborted before the block started: skip preparing the block and take the credential back. */
    public synchronized boolean aborted() {
        return aborted && !started;
    }
}
