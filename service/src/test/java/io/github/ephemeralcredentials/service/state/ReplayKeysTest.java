package io.github.ephemeralcredentials.service.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplayKeysTest {

    private static final String FULL = "full";

    @Test
    void agreesWithAMapOfExpiriesThroughSweepsAndReuse() {
        // 20,000 distinct keys, so that keys come back both live (replays) and expired (reused slots).
        agreesWithAModel(new ReplayKeys(50_000), new Random(12), 300_000, 20_000, 2_000);
    }

    @Test
    void agreesWithAMapOfExpiriesInASmallTableWhereKeysExpireFastAndClustersWrapAround() {
        // 2,048 slots, up to a few hundred keys live and as many expired: the sweep drops keys out of the middle of
        // clusters, across the end of the arrays, and every other key must stay reachable.
        ReplayKeys table = new ReplayKeys(1_000);
        agreesWithAModel(table, new Random(7), 400_000, 3_000, 400);
        assertThat(table.slots()).isEqualTo(2_048);
    }

    /** A random mix of lookups (one in four) and inserts, each answered as a map of expiries would answer it. */
    private static void agreesWithAModel(ReplayKeys table, Random random, int steps, int keys, int longestLife) {
        Map<String, Long> model = new HashMap<>();
        long now = 1_000;
        for (int step = 0; step < steps; step++) {
            now += random.nextInt(3);
            String key = "jti:" + random.nextInt(keys);
            byte[] sha256 = Keys.sha256(key);
            Long expiresAt = model.get(key);
            boolean live = expiresAt != null && expiresAt > now;
            if (random.nextInt(4) == 0) {
                assertThat(table.live(sha256, now)).as("step %d, %s", step, key).isEqualTo(live);
            } else {
                long expiry = now + 1 + random.nextInt(longestLife);
                assertThat(table.addIfAbsent(sha256, now, expiry, FULL)).as("step %d, %s", step, key).isEqualTo(!live);
                if (!live) {
                    model.put(key, expiry);
                }
            }
        }
    }

    @Test
    void aBurstOfKeysIsSweptOnceExpiredWithoutTheTableGrowing() {
        ReplayKeys table = new ReplayKeys(250_000);
        int slots = table.slots();
        for (int i = 0; i < 200_000; i++) {
            assertThat(table.addIfAbsent(Keys.sha256("burst:" + i), 0, 60_000, FULL)).isTrue();
        }
        // After the burst expired, as many new keys again fit under the cap: each insert sweeps expired keys away.
        long later = 120_000;
        for (int i = 0; i < 200_000; i++) {
            assertThat(table.addIfAbsent(Keys.sha256("later:" + i), later, later + 10_000_000, FULL)).isTrue();
            assertThat(table.size()).as("insert %d", i).isLessThan(250_000);
        }
        assertThat(table.slots()).as("allocated once, at its full size").isEqualTo(slots).isEqualTo(1 << 19);
        assertThat(table.live(Keys.sha256("burst:7"), later)).isFalse();
        assertThat(table.live(Keys.sha256("later:7"), later)).isTrue();
    }

    @Test
    void aSteadyStreamBelowTheCapIsSweptAsItGoesWithoutEverScanningTheWholeTable() {
        // One key a millisecond, each live for 5 s: 5,000 live at a time in 32,768 slots (a cap of 10,000 keys).
        ReplayKeys table = new ReplayKeys(10_000);
        int mostOccupied = 0;
        for (long now = 1; now <= 200_000; now++) {
            assertThat(table.addIfAbsent(Keys.sha256("stream:" + now), now, now + 5_000, FULL)).isTrue();
            mostOccupied = Math.max(mostOccupied, table.size());
        }
        // Live keys plus those expired since the cursor last passed: at most 5,000 + 32,768 / 16.
        assertThat(mostOccupied).isBetween(5_000, 5_000 + table.slots() / ReplayKeys.SWEPT_PER_INSERT)
                .as("under the cap, so no insert needed a whole-table sweep").isLessThan(10_000);
    }

    @Test
    void theDefaultCapIsA512thOfTheHeapInKeysAndAtMostAMillion() {
        assertThat(MemoryState.defaultMaxReplayKeys(128L << 20)).isEqualTo(262_144);
        assertThat(MemoryState.defaultMaxReplayKeys(512L << 20)).isEqualTo(1_000_000);
        assertThat(MemoryState.defaultMaxReplayKeys(24L << 30)).isEqualTo(1_000_000);

        // At that cap the table never passes 2^19 slots (12 MB) under -Xmx128m.
        ReplayKeys table = new ReplayKeys(MemoryState.defaultMaxReplayKeys(128L << 20));
        for (int i = 0; i < 262_144; i++) {
            table.addIfAbsent(Keys.sha256("k" + i), 0, 1_000, FULL);
        }
        assertThatThrownBy(() -> table.addIfAbsent(Keys.sha256("one more"), 0, 1_000, FULL))
                .isInstanceOf(StateUnavailableException.class);
        assertThat(table.slots()).isEqualTo(1 << 19);
    }

    @Test
    void neverHoldsMoreThanItsCapAndTakesNewKeysAsTheOldExpire() {
        ReplayKeys table = new ReplayKeys(3_000);
        for (int i = 0; i < 3_000; i++) {
            table.addIfAbsent(Keys.sha256("k" + i), 0, 1_000 + i, FULL);
        }
        assertThatThrownBy(() -> table.addIfAbsent(Keys.sha256("one more"), 999, 5_000, FULL))
                .isInstanceOf(StateUnavailableException.class).hasMessage(FULL);
        assertThat(table.addIfAbsent(Keys.sha256("k5"), 999, 5_000, FULL)).as("a live key is still a replay").isFalse();

        assertThat(table.addIfAbsent(Keys.sha256("one more"), 1_000, 5_000, FULL)).as("k0 expired at 1,000").isTrue();
        assertThatThrownBy(() -> table.addIfAbsent(Keys.sha256("two more"), 1_000, 5_000, FULL))
                .isInstanceOf(StateUnavailableException.class);
        assertThat(table.addIfAbsent(Keys.sha256("two more"), 1_001, 5_000, FULL)).isTrue();
        assertThat(table.slots()).isLessThanOrEqualTo(4 * 3_000 + 4);
    }
}
