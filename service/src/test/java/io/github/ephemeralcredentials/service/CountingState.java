package io.github.ephemeralcredentials.service;

import io.github.ephemeralcredentials.service.state.SharedState;
import io.github.ephemeralcredentials.service.state.StateUnavailableException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A test store that can be made to fail, to see the service fail closed; the real ones have their own tests. */
final class CountingState implements SharedState {

    final Set<String> used = ConcurrentHashMap.newKeySet();
    final Map<String, Integer> counts = new ConcurrentHashMap<>();
    volatile boolean down;
    /** Makes what every call throws when set: a bug inside the service, not a store that is down. */
    volatile java.util.function.Supplier<RuntimeException> bug;

    @Override
    public boolean firstUse(String key, Duration ttl) {
        check();
        return used.add(key);
    }

    final Map<String, String> kept = new ConcurrentHashMap<>();

    /** Only {@link #keep} fails: the store went away between the replay check and the issue. */
    volatile boolean keepFails;

    @Override
    public void keep(String key, String value, Duration ttl) {
        check();
        if (keepFails) {
            throw new StateUnavailableException("the test store stopped keeping values", null);
        }
        kept.put(key, value);
    }

    @Override
    public java.util.Optional<String> take(String key) {
        check();
        return java.util.Optional.ofNullable(kept.remove(key));
    }

    @Override
    public boolean recorded(String key) {
        check();
        return used.contains(key);
    }

    @Override
    public boolean withinLimit(String bucket, int limit, Duration window) {
        check();
        return counts.merge(bucket, 1, Integer::sum) <= limit;
    }

    private void check() {
        if (bug != null) {
            throw bug.get();
        }
        if (down) {
            throw new StateUnavailableException("the test store is down", null);
        }
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public boolean healthy() {
        return !down;
    }

    @Override
    public void close() {
    }
}
