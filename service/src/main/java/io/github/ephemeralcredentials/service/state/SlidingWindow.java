package io.github.ephemeralcredentials.service.state;

/**
 * The rate limit's rule, shared by both stores ({@link RedisState} runs the same arithmetic in Lua): a sliding window
 * approximated from two fixed ones. Windows are aligned to the epoch; a request {@code into} milliseconds into window
 * {@code i} sees {@code count(i - 1) * (window - into) / window + count(i)} requests in the last window's length, and
 * is admitted (and counted) while that plus itself stays within the limit. Compared multiplied out by the window, in
 * whole numbers, so that a request exactly at the limit is not refused by a rounding error.
 *
 * <p>Why not a fixed window: it admits up to twice the limit across a boundary (all of it at the end of one window, all
 * again at the start of the next). Why count only admitted requests: a CI job that retries faster than its limit
 * still gets requests through, rather than being shut out for as long as it keeps trying. The rule assumes the
 * previous window's requests were spread evenly, so such a job gets somewhat less than the limit (about two of three
 * a window for one trying four times), never more.
 *
 * @param index        the current window's number ({@code now / window})
 * @param into         milliseconds since the current window began
 * @param windowMillis the window's length
 */
record SlidingWindow(long index, long into, long windowMillis) {

    static SlidingWindow at(long nowMillis, long windowMillis) {
        long index = Math.floorDiv(nowMillis, windowMillis);
        return new SlidingWindow(index, nowMillis - index * windowMillis, windowMillis);
    }

    /** Whether one more request fits, given the requests admitted in the previous and the current window. */
    boolean admits(long previous, long current, int limit) {
        try {
            return Math.addExact(Math.multiplyExact(previous, windowMillis - into),
                    Math.multiplyExact(current + 1, windowMillis)) <= Math.multiplyExact((long) limit, windowMillis);
        } catch (ArithmeticException e) {
            // Windows of centuries: whole numbers overflow, and a rounding error no longer matters.
            return previous * ((double) (windowMillis - into) / windowMillis) + current + 1 <= limit;
        }
    }

    /** A window's count is needed until the end of the next window, when it stops weighing. */
    long countExpiresAt() {
        long end = index + 2;
        return end > Long.MAX_VALUE / windowMillis ? Long.MAX_VALUE : end * windowMillis;
    }
}
