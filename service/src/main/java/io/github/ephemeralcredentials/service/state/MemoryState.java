package io.github.ephemeralcredentials.service.state;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The state of a single replica, in its own memory: correct only while exactly one replica serves the issuer's tokens
 * (two replicas with a {@code MemoryState} each would each accept the same token once).
 *
 * <p>Memory stays bounded two ways. Expired entries are purged lazily, on the calling thread: rate-limit buckets and
 * revocable credentials at the start of every call that touches their table (they are also queued by expiry, so a purge
 * removes exactly the expired ones in O(log n) each), replay keys a few slots at each insert. That needs no background
 * thread to start, stop or leak, and it is deterministic under a fake {@link Clock}. And each table has a hard cap on
 * unexpired entries: when it is full, a new key is refused with {@link StateUnavailableException} — forgetting a live
 * replay key to make room would let its token be exchanged twice.
 *
 * <p>Keys and buckets are kept as their SHA-256 (see {@link Keys#digest}), so an entry's size does not depend on what
 * the caller passed. Replay keys, one per exchange, sit in flat arrays ({@link ReplayKeys}, 24 bytes a slot, the
 * power of two at least twice the cap in slots, allocated at the start). Their default cap is a 512th of the maximum
 * heap in keys, at most {@value #MAX_DEFAULT_REPLAY_KEYS}: 262,144 with {@code -Xmx128m} (12 MB, some 730 exchanges a
 * second sustained with five-minute tokens), 1,000,000 from 512 MB of heap (48 MB, some
 * 2,800 a second). A larger cap would run a small heap out of memory before the store could refuse with its clear
 * error. Rate-limit buckets and revocable credentials, a few per subject and one per revocable credential, are capped
 * at {@value #DEFAULT_MAX_ENTRIES} each, some 20 MB.
 *
 * <p>Thread-safe: each table is guarded by its own lock; calls are short and never block on I/O.
 */
public final class MemoryState implements SharedState {

    /** The most replay keys the default cap allows, whatever the heap. */
    public static final int MAX_DEFAULT_REPLAY_KEYS = 1_000_000;
    /** Unexpired rate-limit buckets, and separately revocable credentials, held at most. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    private final Clock clock;
    private final ReplayKeys replay;
    private final String replayFull;
    private final Table rates;
    private final Table kept;

    /** With the default caps: {@link #defaultMaxReplayKeys} for this JVM's heap, and {@link #DEFAULT_MAX_ENTRIES}. */
    public MemoryState(Clock clock) {
        this(clock, defaultMaxReplayKeys(Runtime.getRuntime().maxMemory()), DEFAULT_MAX_ENTRIES);
    }

    /** A 512th of {@code maxHeapBytes} in keys, at most {@link #MAX_DEFAULT_REPLAY_KEYS}. */
    static int defaultMaxReplayKeys(long maxHeapBytes) {
        return (int) Math.max(1, Math.min(MAX_DEFAULT_REPLAY_KEYS, maxHeapBytes / 512));
    }

    /** With one cap for every table. */
    public MemoryState(Clock clock, int maxEntries) {
        this(clock, maxEntries, maxEntries);
    }

    /**
     * @param maxReplayKeys unexpired replay keys held at most
     * @param maxEntries    unexpired rate-limit buckets, and separately revocable credentials, held at most
     * @throws IllegalArgumentException when a cap is below 1; a new entry beyond a cap is refused with
     *     {@link StateUnavailableException}
     */
    public MemoryState(Clock clock, int maxReplayKeys, int maxEntries) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxReplayKeys < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("the caps must be at least 1, got " + maxReplayKeys + " replay keys and "
                    + maxEntries + " entries");
        }
        this.replay = new ReplayKeys(maxReplayKeys);
        this.replayFull = full(maxReplayKeys, "replay keys", "lower the tokens' lifetime (keys live until the token's "
                + "exp), raise the cap, or run several replicas on a shared Redis (redis://host:port)");
        this.rates = new Table(maxEntries, "rate-limit buckets",
                "shorten the rate-limit window, raise the cap, "
                        + "or run several replicas on a shared Redis (redis://host:port)");
        this.kept = new Table(maxEntries, "revocable credentials",
                "lower the profiles' lifetimes (each is kept until it expires), raise the cap, "
                        + "or run several replicas on a shared Redis (redis://host:port)");
    }

    @Override
    public boolean firstUse(String key, Duration ttl) {
        Objects.requireNonNull(key, "key");
        long ttlMillis = Keys.ttlMillis(ttl);
        byte[] sha256 = Keys.sha256(key);
        synchronized (replay) {
            long now = clock.millis();
            return replay.addIfAbsent(sha256, now, expiry(now, ttlMillis), replayFull);
        }
    }

    @Override
    public boolean recorded(String key) {
        Objects.requireNonNull(key, "key");
        byte[] sha256 = Keys.sha256(key);
        synchronized (replay) {
            return replay.live(sha256, clock.millis());
        }
    }

    @Override
    public void keep(String key, String value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long ttlMillis = Keys.ttlMillis(ttl);
        String digest = Keys.digest(key);
        synchronized (kept) {
            long now = clock.millis();
            kept.purge(now);
            kept.remove(digest);
            kept.add(digest, expiry(now, ttlMillis)).value = value;
        }
    }

    @Override
    public java.util.Optional<String> take(String key) {
        Objects.requireNonNull(key, "key");
        String digest = Keys.digest(key);
        synchronized (kept) {
            kept.purge(clock.millis());
            Slot slot = kept.remove(digest);
            return slot == null ? java.util.Optional.empty() : java.util.Optional.of(slot.value);
        }
    }

    /** {@link SlidingWindow}'s rule, as {@link RedisState} applies it, so both stores count alike. */
    @Override
    public boolean withinLimit(String bucket, int limit, Duration window) {
        Objects.requireNonNull(bucket, "bucket");
        Keys.checkLimit(limit);
        long windowMillis = Keys.windowMillis(window);
        String digest = Keys.digest(bucket);
        synchronized (rates) {
            long now = clock.millis();
            rates.purge(now);
            SlidingWindow at = SlidingWindow.at(now, windowMillis);
            Slot current = rates.get(digest + ":" + at.index());
            Slot previous = rates.get(digest + ":" + (at.index() - 1));
            if (!at.admits(previous == null ? 0 : previous.count, current == null ? 0 : current.count, limit)) {
                return false;
            }
            if (current == null) {
                current = rates.add(digest + ":" + at.index(), at.countExpiresAt());
            }
            current.count++;
            return true;
        }
    }

    /** Saturating, so that an absurd ttl means "never expires" rather than "already expired". */
    private static long expiry(long now, long millis) {
        return millis > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + millis;
    }

    private static String full(int max, String what, String remedy) {
        return "the in-memory state holds its maximum of " + max + " unexpired " + what + ", so this replica refuses "
                + "new ones until some expire: " + remedy;
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    /** Memory always answers. */
    @Override
    public boolean healthy() {
        return true;
    }

    /**
     * Holds no connection. The entries stay: a caller that kept using a closed store must still see the keys it
     * recorded, or a token could be replayed.
     */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "MemoryState[one replica, at most " + replay.max() + " replay keys, " + rates.max
                + " rate-limit buckets and " + kept.max + " revocable credentials]";
    }

    /** Entries by digest, also queued by expiry so that purging touches only expired ones. Guard with its lock. */
    private static final class Table {
        private final Map<String, Slot> slots = new HashMap<>();
        private final PriorityQueue<Slot> byExpiry = new PriorityQueue<>(Comparator.comparingLong(s -> s.expiresAt));
        private final int max;
        private final String what;
        private final String remedy;

        Table(int max, String what, String remedy) {
            this.max = max;
            this.what = what;
            this.remedy = remedy;
        }

        void purge(long now) {
            while (!byExpiry.isEmpty() && byExpiry.peek().expiresAt <= now) {
                Slot expired = byExpiry.poll();
                slots.remove(expired.digest, expired);
            }
        }

        Slot get(String digest) {
            return slots.get(digest);
        }

        Slot remove(String digest) {
            Slot slot = slots.remove(digest);
            if (slot != null) {
                // Linear in the queue, but only revocations remove early (once per credential), and it keeps the
                // queue exactly as large as the table, so the cap bounds memory.
                byExpiry.remove(slot);
            }
            return slot;
        }

        Slot add(String digest, long expiresAt) {
            if (slots.size() >= max) {
                throw new StateUnavailableException(full(max, what, remedy), null);
            }
            Slot slot = new Slot(digest, expiresAt);
            slots.put(digest, slot);
            byExpiry.add(slot);
            return slot;
        }
    }

    /** One key or one window of a bucket; {@code count} is the requests it admitted, {@code value} what a key keeps. */
    private static final class Slot {
        final String digest;
        final long expiresAt;
        long count;
        String value;

        Slot(String digest, long expiresAt) {
            this.digest = digest;
            this.expiresAt = expiresAt;
        }
    }
}
