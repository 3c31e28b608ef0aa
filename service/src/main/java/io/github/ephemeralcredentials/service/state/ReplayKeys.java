package io.github.ephemeralcredentials.service.state;

import java.nio.ByteBuffer;

/**
 * {@link MemoryState}'s replay keys, in three flat arrays: the first 128 bits of each key's SHA-256 and its expiry,
 * 24 bytes a slot, found by linear probing. One entry is written per exchange, so this is the table that fills: a
 * map of objects (about 200 bytes an entry) held 100,000 keys in 20 MB, which with GitHub's five-minute tokens
 * capped a replica at some 280 exchanges a second, sustained.
 *
 * <p>128 bits of SHA-256 keep collisions out of reach (about 2<sup>-89</sup> for a million keys); a collision
 * would only refuse a token as a replay, never accept one twice.
 *
 * <p>The table is allocated once, at its full size: the power of two at least twice {@code max} slots (a million keys
 * take 48 MB), so it is never more than half full, and it is never rebuilt. A table that grew, and was rebuilt to drop
 * expired keys, stalled every exchange for the rebuild (on the selector thread that inserted the key, under the
 * store's lock) and again for the collector's copy of the new arrays: 13 to 27 ms at 200,000 keys, which put the
 * service's p99 over 10 ms in a benchmark round. Instead, each insert first looks at the next
 * {@value #SWEPT_PER_INSERT} slots of a cursor that walks the table (two cache lines of expiries) and drops the expired
 * keys there by backward-shift deletion, so no tombstones lengthen the probes. The cursor passes every slot once per
 * {@code slots / }{@value #SWEPT_PER_INSERT} inserts, so at most that many keys, a quarter of {@code max}, wait expired
 * to be swept.
 *
 * <p>A held key counts towards {@code max} until it is swept. When {@code max} are held, which the sweep leaves for
 * more than three quarters of the cap live, the whole table is swept once (a sequential scan) to make room, and inserts
 * are refused without another scan until the earliest live key expires: a full table must not turn every request into
 * a scan.
 *
 * <p>Not thread-safe: the caller holds a lock.
 */
final class ReplayKeys {

    /** An empty slot's expiry: no key expires at the epoch, and new arrays hold it already. */
    private static final long EMPTY = 0;
    private static final int MIN_SLOTS = 1 << 10;
    static final int SWEPT_PER_INSERT = 16;

    private final int max;
    private final long[] high;
    private final long[] low;
    private final long[] expiry;
    private final int mask;
    /** Occupied slots, live or expired. */
    private int size;
    /** The next slot the sweep looks at. */
    private int cursor;
    /** No live key expires before this: while the table is full, nothing can be dropped until then. */
    private long earliestExpiry = Long.MAX_VALUE;

    ReplayKeys(int max) {
        if (max < 1 || max > 1 << 29) {
            throw new IllegalArgumentException("a replay table holds 1 to 2^29 keys, not " + max);
        }
        this.max = max;
        int slots = MIN_SLOTS;
        while (slots < 2L * max) {
            slots <<= 1;
        }
        high = new long[slots];
        low = new long[slots];
        expiry = new long[slots];
        mask = slots - 1;
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
        // An expiry at or before the epoch is as past as the epoch itself, which marks an empty slot.
        long until = Math.max(EMPTY + 1, expiresAt);
        sweep(now, SWEPT_PER_INSERT);
        ByteBuffer bits = ByteBuffer.wrap(sha256);
        long h = bits.getLong(0);
        long l = bits.getLong(8);
        int slot = find(h, l);
        if (slot >= 0) {
            if (expiry[slot] > now) {
                return false;
            }
            expiry[slot] = until;
            earliestExpiry = Math.min(earliestExpiry, until);
            return true;
        }
        if (size >= max) {
            if (now < earliestExpiry) {
                throw new StateUnavailableException(full, null);
            }
            sweepAll(now);
            if (size >= max) {
                throw new StateUnavailableException(full, null);
            }
        }
        put(h, l, until);
        earliestExpiry = Math.min(earliestExpiry, until);
        return true;
    }

    int max() {
        return max;
    }

    /** Slots allocated, for tests of the memory bound. */
    int slots() {
        return expiry.length;
    }

    /** Occupied slots, live or not yet swept, for tests of the sweep. */
    int size() {
        return size;
    }

    private int find(long h, long l) {
        for (int i = (int) l & mask; expiry[i] != EMPTY; i = (i + 1) & mask) {
            if (high[i] == h && low[i] == l) {
                return i;
            }
        }
        return -1;
    }

    private void put(long h, long l, long expiresAt) {
        int i = (int) l & mask;
        while (expiry[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        high[i] = h;
        low[i] = l;
        expiry[i] = expiresAt;
        size++;
    }

    /** Looks at {@code slots} slots from the cursor, dropping the expired keys; a slot refilled by a drop is looked at again. */
    private void sweep(long now, long slots) {
        for (long looked = 0; looked < slots; looked++) {
            long e = expiry[cursor];
            if (e != EMPTY && e <= now) {
                remove(cursor);
            } else {
                cursor = (cursor + 1) & mask;
            }
        }
    }

    /** Drops every expired key, and learns when the earliest live one expires. */
    private void sweepAll(long now) {
        // Two passes of the table at most: a drop refills its slot, which the loop looks at again.
        sweep(now, 2L * expiry.length);
        earliestExpiry = Long.MAX_VALUE;
        for (long e : expiry) {
            if (e != EMPTY) {
                earliestExpiry = Math.min(earliestExpiry, e);
            }
        }
    }

    /**
     * Empties slot {@code i} and moves later keys of its cluster back into the gap where their probe from their home
     * slot passes it (Knuth's algorithm R), so that every key stays reachable without tombstones.
     */
    private void remove(int i) {
        int gap = i;
        for (int j = (gap + 1) & mask; expiry[j] != EMPTY; j = (j + 1) & mask) {
            int home = (int) low[j] & mask;
            // The key at j may fill the gap unless its home lies cyclically in (gap, j].
            boolean homeAfterGap = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!homeAfterGap) {
                high[gap] = high[j];
                low[gap] = low[j];
                expiry[gap] = expiry[j];
                gap = j;
            }
        }
        high[gap] = 0;
        low[gap] = 0;
        expiry[gap] = EMPTY;
        size--;
    }
}
