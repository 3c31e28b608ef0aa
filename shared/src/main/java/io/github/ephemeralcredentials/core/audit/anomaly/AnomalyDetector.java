package io.github.ephemeralcredentials.core.audit.anomaly;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.AuditRecord.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one rule for unusual use, shared by the service (live, one exchange at a time) and {@code inventory} (over a
 * trail's history): feed it records in time order and it says which {@link Signal}s each raises.
 *
 * <p>It learns only from issued credentials, so an attacker's refused attempts never make their next attempt look
 * usual. Memory is bounded: at most {@link Thresholds#maxSubjects()} subjects and {@link Thresholds#maxProfiles()}
 * profiles, each with at most {@link Thresholds#maxValuesPerKey()} remembered values and {@code denialBurst}
 * denial times; the least recently seen are dropped first, and anything unseen for {@link Thresholds#forgetAfter()}.
 * Thread-safe (one lock: an exchange costs milliseconds, the bookkeeping microseconds).
 */
public final class AnomalyDetector {

    private final Thresholds thresholds;
    private final Map<String, SubjectState> subjects;
    private final Map<String, ProfileState> profiles;

    public AnomalyDetector(Thresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.subjects = lru(thresholds.maxSubjects());
        this.profiles = lru(thresholds.maxProfiles());
    }

    /** The signals {@code record} raises given everything observed before it; then remembers it. */
    public synchronized Set<Signal> observe(AuditRecord record) {
        Instant now = record.timestamp();
        Set<Signal> signals = EnumSet.noneOf(Signal.class);
        if (record.outcome() == Outcome.REVOKED) {
            return signals;
        }
        String subjectKey = (record.issuer() == null ? "" : record.issuer()) + " " + Objects.toString(record.subject(), "");
        SubjectState subject = fresh(subjects.get(subjectKey), now);
        ProfileState profile = record.profile() == null ? null : fresh(profiles.get(record.profile()), now);

        if (subject != null && record.profile() != null && !subject.profiles.isEmpty()
                && !subject.profiles.contains(record.profile())) {
            signals.add(Signal.NEW_PROFILE_FOR_SUBJECT);
        }
        if (profile != null && !profile.issuers.isEmpty() && record.issuer() != null
                && !profile.issuers.contains(record.issuer())) {
            signals.add(Signal.NEW_ISSUER_FOR_PROFILE);
        }
        String runner = record.claims().get("runner_environment");
        if (profile != null && runner != null && !profile.issuers.isEmpty()
                && !profile.runnerEnvironments.contains(runner)) {
            signals.add(Signal.NEW_RUNNER_ENVIRONMENT_FOR_PROFILE);
        }

        if (subject == null) {
            subject = new SubjectState(now, thresholds);
        }
        subjects.put(subjectKey, subject);
        subject.lastSeen = now;
        if (subject.countExchange(now, thresholds)) {
            signals.add(Signal.RATE_SPIKE);
        }
        if (record.outcome() == Outcome.DENIED && subject.countDenial(now, thresholds)) {
            signals.add(Signal.DENIAL_BURST);
        }
        if (record.outcome() == Outcome.ISSUED && record.profile() != null) {
            bounded(subject.profiles, record.profile());
            if (profile == null) {
                profile = new ProfileState();
            }
            if (record.issuer() != null) {
                bounded(profile.issuers, record.issuer());
            }
            if (runner != null) {
                bounded(profile.runnerEnvironments, runner);
            }
        }
        if (profile != null) {
            profile.lastSeen = now;
            profiles.put(record.profile(), profile);
        }
        return signals;
    }

    /** Subjects remembered now (for tests and a gauge). */
    public synchronized int subjectsRemembered() {
        return subjects.size();
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    private <S extends Expiring> S fresh(S state, Instant now) {
        return state == null || state.lastSeen.plus(thresholds.forgetAfter()).isBefore(now) ? null : state;
    }

    private void bounded(Set<String> values, String value) {
        if (values.remove(value) || values.size() < thresholds.maxValuesPerKey()) {
            values.add(value);
        } else {
            // Forget the oldest value: a flood of new ones must not freeze what counts as usual.
            Iterator<String> oldest = values.iterator();
            oldest.next();
            oldest.remove();
            values.add(value);
        }
    }

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    private abstract static class Expiring {
        Instant lastSeen;
    }

    private static final class ProfileState extends Expiring {
        final Set<String> issuers = new LinkedHashSet<>();
        final Set<String> runnerEnvironments = new LinkedHashSet<>();
    }

    private static final class SubjectState extends Expiring {
        final Set<String> profiles = new LinkedHashSet<>();
        final Deque<Instant> denials = new ArrayDeque<>();
        Instant windowStart;
        int windowCount;
        /** The usual exchanges per window: an exponentially weighted mean over past windows, idle ones included. */
        double usual;
        int windowsSeen;

        SubjectState(Instant now, Thresholds t) {
            lastSeen = now;
            windowStart = now;
        }

        boolean countExchange(Instant now, Thresholds t) {
            long elapsed = Duration.between(windowStart, now).toNanos() / t.rateWindow().toNanos();
            if (elapsed > 0) {
                double alpha = 2.0 / (t.rateHistory() + 1);
                usual = usual + alpha * (windowCount - usual);
                long idle = Math.min(elapsed - 1, 10_000);
                usual *= Math.pow(1 - alpha, idle);
                windowsSeen = (int) Math.min(Integer.MAX_VALUE, windowsSeen + elapsed);
                windowStart = windowStart.plus(t.rateWindow().multipliedBy(elapsed));
                windowCount = 0;
            }
            windowCount++;
            return windowsSeen >= t.rateHistory() && windowCount >= t.rateMinimum()
                    && windowCount > t.rateFactor() * usual;
        }

        boolean countDenial(Instant now, Thresholds t) {
            denials.addLast(now);
            Instant horizon = now.minus(t.denialWindow());
            while (!denials.isEmpty() && !denials.peekFirst().isAfter(horizon)) {
                denials.removeFirst();
            }
            while (denials.size() > t.denialBurst()) {
                denials.removeFirst();
            }
            return denials.size() >= t.denialBurst();
        }
    }

    /** The codes of {@code signals}, in declaration order, for {@link AuditRecord.Builder#anomalies}. */
    public static List<String> codes(Set<Signal> signals) {
        return signals.stream().map(Signal::name).toList();
    }
}
