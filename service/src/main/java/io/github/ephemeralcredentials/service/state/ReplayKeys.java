package io.github.ephemeralcredentials.service.state;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@link MemoryState}'s replay keys, in three flat arrays: the first 128 bits of each key's SHA-256 and its expiry,
 * 24 bytes a slot, found by linear probing. One entry is written per exchange, so this is the table that fills: a
 * map of objects (about 200 bytes an entry) held 100,000 keys in 20 MB, which with GitHub's five-minute tokens
 * capped a replica at some 280 exchanges a second, sustained. Here a million keys take at most 48 MB (96 MB while
 * the table is rebuilt).
 *
 * <p>128 bits of SHA-256 keep collisions out of reach (about 2<sup>-89</sup> for a million keys); a collision
 * would only refuse a token as a replay, never accept one twice.
 *
 * <p>Expired slots are dropped when the table is rebuilt: when it is three-quarters full, or when it holds
 * {@code max} slots. A rebuild sizes the table to the power of two at least twice what is still live, so it shrinks
 * after a burst, never grows past the power of two at least {@code 2 * max}, and costs O(1) per insert over time. When the rebuild finds {@code max} live keys, inserts are refused without another
 * rebuild until the earliest of them expires: a full table must not turn every request into a scan.
 *
 * <p>Not thread-safe: the caller holds a lock.
 */
final class ReplayKeys {

    private static final long EMPTY = Long.MIN_VALUE;
    private static final int MIN_SLOTS = 1 << 10;

    private final int max;
    private long[] high;
    private long[] low;
    private long[] expiry;
    /** Occupied slots, live or expired. */
    private int size;
    /** No live key expires before this: while the table is full, nothing can be dropped until then. */
    private long earliestExpiry = Long.MAX_VALUE;

    ReplayKeys(int max) {
        this.max = max;
        allocate(MIN_SLOTS);
    }

    /** Whether {@code sha256} is held and expires after {@code now}. */
    boolean live(byte[] sha256, long now) {
        ByteBuffer bits = ByteBuffer.wrap(sha256);
        int slot = find(bits.getLong(0), bits.getLong(8));
        return slot >= 0 && expiry[slot] > now;
    }

    /**
     * Records {@code sha256} until {@code expiresAt}, unless it is held and live.
     *
     * @return whether it was recorded (false: a live key, a replay)
     * @throws StateUnavailableException when {@code max} keys are live
     */
    boolean addIfAbsent(byte[] sha256, long now, long expiresAt, String full) {
        ByteBuffer bits = ByteBuffer.wrap(sha256);
        long h = bits.getLong(0);
        long l = bits.getLong(8);
        int slot = find(h, l);
        if (slot >= 0) {
            if (expiry[slot] > now) {
                return false;
            }
            expiry[slot] = expiresAt;
            earliestExpiry = Math.min(earliestExpiry, expiresAt);
            return true;
        }
        if (size >= max || size + 1 > high.length / 4 * 3) {
            if (size >= max && now < earliestExpiry) {
                throw new StateUnavailableException(full, null);
            }
            rebuild(now);
            if (size >= max) {
                throw new StateUnavailableException(full, null);
            }
        }
        put(h, l, expiresAt);
        earliestExpiry = Math.min(earliestExpiry, expiresAt);
        return true;
    }

    int max() {
        return max;
    }

    /** Slots allocated, for tests of the memory bound. */
    int slots() {
        return high.length;
    }

    private int find(long h, long l) {
        int mask = high.length - 1;
        for (int i = (int) l & mask; expiry[i] != EMPTY; i = (i + 1) & mask) {
            if (high[i] == h && low[i] == l) {
                return i;
            }
        }
        return -1;
    }

    private void put(long h, long l, long expiresAt) {
        int mask = high.length - 1;
        int i = (int) l & mask;
        while (expiry[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        high[i] = h;
        low[i] = l;
        expiry[i] = expiresAt;
        size++;
    }

    private void rebuild(long now) {
        long[] oldHigh = high;
        long[] oldLow = low;
        long[] oldExpiry = expiry;
        int live = 0;
        for (long e : oldExpiry) {
            if (e != EMPTY && e > now) {
                live++;
            }
        }
        int slots = MIN_SLOTS;
        while (slots < 2L * live) {
            slots <<= 1;
        }
        allocate(slots);
        earliestExpiry = Long.MAX_VALUE;
        for (int i = 0; i < oldExpiry.length; i++) {
            if (oldExpiry[i] != EMPTY && oldExpiry[i] > now) {
                put(oldHigh[i], oldLow[i], oldExpiry[i]);
                earliestExpiry = Math.min(earliestExpiry, oldExpiry[i]);
            }
        }
    }

    private void allocate(int slots) {
        high = new long[slots];
        low = new long[slots];
        expiry = new long[slots];
        Arrays.fill(expiry, EMPTY);
        size = 0;
    }
}
