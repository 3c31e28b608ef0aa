package io.github.ephemeralcredentials.service;

import io.github.ephemeralcredentials.core.exchange.CleanupRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this replica issued and can still take back (RFC 7009), by the hash of the access token it handed out: the
 * token itself is never kept. Entries leave when their credential expires; the map is bounded, and when full the
 * nearest expiry goes first (that credential expires soonest on its own).
 */
final class IssuedCredentials {

    static final int MAX_ENTRIES = 100_000;

    private final Map<String, CleanupRecord> byTokenHash = new ConcurrentHashMap<>();
    private final Clock clock;

    IssuedCredentials(Clock clock) {
        this.clock = clock;
    }

    void remember(String accessToken, CleanupRecord record) {
        if (record.revocations().isEmpty()) {
            return;
        }
        purge();
        if (byTokenHash.size() >= MAX_ENTRIES) {
            byTokenHash.entrySet().stream().min(java.util.Map.Entry.comparingByValue(
                    java.util.Comparator.comparing(CleanupRecord::expiresAt)))
                    .ifPresent(e -> byTokenHash.remove(e.getKey()));
        }
        byTokenHash.put(hash(accessToken), record);
    }

    /** The record for {@code accessToken}, removed: revoking twice finds nothing the second time. */
    Optional<CleanupRecord> take(String accessToken) {
        CleanupRecord record = byTokenHash.remove(hash(accessToken));
        return record == null || record.expiresAt().isBefore(clock.instant()) ? Optional.empty() : Optional.of(record);
    }

    private void purge() {
        Instant now = clock.instant();
        byTokenHash.values().removeIf(r -> r.expiresAt().isBefore(now));
    }

    static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
