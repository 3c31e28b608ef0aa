package io.github.ephemeralcredentials.service.state;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

/**
 * What both stores do to a caller's key or bucket before keeping it, and the argument checks they share.
 *
 * <p>Keys and buckets are stored as their SHA-256: they derive from tokens and token claims, so whoever reads the
 * store (a Redis {@code MONITOR}, a dump, a heap dump) learns no token material, and every entry has the same small
 * size whatever the caller passed — which is what lets a cap on entries bound memory.
 */
final class Keys {

    private Keys() {
    }

    /** The unpadded base64url SHA-256 of {@code value} (43 characters). */
    static String digest(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(value));
    }

    /** The SHA-256 of {@code value}'s UTF-8. */
    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 (MessageDigest's contract).
            throw new AssertionError("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * A duration in whole milliseconds, rounded up so that a sub-millisecond ttl still records the key (Redis refuses
     * {@code PX 0}, and rounding down would let a key expire before the caller asked).
     */
    private static long positiveMillis(Duration duration, String name, String hint) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration + ": " + hint);
        }
        long millis = duration.toMillis();
        return duration.minusMillis(millis).isZero() ? millis : millis + 1;
    }

    static long ttlMillis(Duration ttl) {
        return positiveMillis(ttl, "ttl", "refuse a token at or past its exp before asking whether it was used");
    }

    static long windowMillis(Duration window) {
        return positiveMillis(window, "window", "give the rate limit's window, e.g. PT1M");
    }

    static void checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1 request per window, got " + limit);
        }
    }
}
