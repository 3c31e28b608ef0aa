package io.github.ephemeralcredentials.core.audit.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.AuditRecord.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Synthetic trails, one per signal, each with the case just below its threshold. */
class AnomalyDetectorTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final String GITHUB = "https://token.actions.githubusercontent.com";

    private final AnomalyDetector detector = new AnomalyDetector(Thresholds.DEFAULT);

    private static AuditRecord rec(Instant at, String subject, String profile, Outcome outcome) {
        return rec(at, GITHUB, subject, profile, outcome, "github-hosted");
    }

    private static AuditRecord rec(Instant at, String issuer, String subject, String profile, Outcome outcome,
                                   String runner) {
        Map<String, String> claims = new HashMap<>();
        if (runner != null) {
            claims.put("runner_environment", runner);
        }
        return AuditRecord.builder().timestamp(at).issuer(issuer).subject(subject).profile(profile).claims(claims)
                .outcome(outcome).build();
    }

    @Test
    void aKnownSubjectAskingForAProfileItNeverGotIsFlaggedButNotANewcomer() {
        assertThat(detector.observe(rec(T0, "repo:a", "deploy", Outcome.ISSUED))).isEmpty();
        assertThat(detector.observe(rec(T0.plusSeconds(1), "repo:a", "deploy", Outcome.ISSUED))).isEmpty();
        assertThat(detector.observe(rec(T0.plusSeconds(2), "repo:a", "prod-admin", Outcome.DENIED)))
                .contains(Signal.NEW_PROFILE_FOR_SUBJECT);
        // Denied attempts teach nothing: asking again still flags.
        assertThat(detector.observe(rec(T0.plusSeconds(3), "repo:a", "prod-admin", Outcome.ISSUED)))
                .contains(Signal.NEW_PROFILE_FOR_SUBJECT);
        assertThat(detector.observe(rec(T0.plusSeconds(4), "repo:a", "prod-admin", Outcome.ISSUED)))
                .doesNotContain(Signal.NEW_PROFILE_FOR_SUBJECT);
    }

    @Test
    void denialsBurstAtTheThresholdWithinTheWindowOnly() {
        for (int i = 0; i < 4; i++) {
            // Spread over more than the window: never a burst.
            assertThat(detector.observe(rec(T0.plus(Duration.ofMinutes(4L * i)), "repo:b", "deploy", Outcome.DENIED)))
                    .doesNotContain(Signal.DENIAL_BURST);
        }
        Instant later = T0.plus(Duration.ofHours(1));
        for (int i = 0; i < 4; i++) {
            assertThat(detector.observe(rec(later.plusSeconds(i), "repo:b", "deploy", Outcome.DENIED)))
                    .doesNotContain(Signal.DENIAL_BURST);
        }
        assertThat(detector.observe(rec(later.plusSeconds(4), "repo:b", "deploy", Outcome.DENIED)))
                .contains(Signal.DENIAL_BURST);
        // Another subject's denials are its own.
        assertThat(detector.observe(rec(later.plusSeconds(5), "repo:c", "deploy", Outcome.DENIED))).isEmpty();
    }

    @Test
    void aRateFarAboveTheSubjectsUsualIsASpike() {
        Instant t = T0;
        // Usual: 2 exchanges per 10-minute window, for 12 windows.
        for (int w = 0; w < 12; w++) {
            for (int i = 0; i < 2; i++) {
                assertThat(detector.observe(rec(t.plusSeconds(60L * i), "repo:d", "deploy", Outcome.ISSUED)))
                        .doesNotContain(Signal.RATE_SPIKE);
            }
            t = t.plus(Duration.ofMinutes(10));
        }
        Set<Signal> last = Set.of();
        for (int i = 0; i < 30; i++) {
            last = detector.observe(rec(t.plusSeconds(i), "repo:d", "deploy", Outcome.ISSUED));
            if (i < 19) {
                assertThat(last).as("exchange %d of the window", i + 1).doesNotContain(Signal.RATE_SPIKE);
            }
        }
        assertThat(last).contains(Signal.RATE_SPIKE);
    }

    @Test
    void aBusyButSteadySubjectIsNoSpike() {
        Instant t = T0;
        for (int w = 0; w < 20; w++) {
            for (int i = 0; i < 40; i++) {
                assertThat(detector.observe(rec(t.plusSeconds(i), "repo:busy", "deploy", Outcome.ISSUED)))
                        .doesNotContain(Signal.RATE_SPIKE);
            }
            t = t.plus(Duration.ofMinutes(10));
        }
    }

    @Test
    void aNewIssuerOrRunnerEnvironmentForAProfileIsFlagged() {
        detector.observe(rec(T0, GITHUB, "repo:e", "deploy", Outcome.ISSUED, "github-hosted"));
        assertThat(detector.observe(rec(T0.plusSeconds(1), "https://jenkins.example.test/oidc", "job:e", "deploy",
                Outcome.ISSUED, null))).contains(Signal.NEW_ISSUER_FOR_PROFILE);
        assertThat(detector.observe(rec(T0.plusSeconds(2), GITHUB, "repo:e", "deploy", Outcome.ISSUED,
                "self-hosted"))).containsExactly(Signal.NEW_RUNNER_ENVIRONMENT_FOR_PROFILE);
        assertThat(detector.observe(rec(T0.plusSeconds(3), GITHUB, "repo:e", "deploy", Outcome.ISSUED,
                "self-hosted"))).isEmpty();
    }

    @Test
    void memoryIsBoundedBySubjectsAndForgetsAfterTheExpiry() {
        Thresholds small = new Thresholds(5, Duration.ofMinutes(10), Duration.ofMinutes(10), 5, 20, 6, 100, 100, 4,
                Duration.ofDays(1));
        AnomalyDetector bounded = new AnomalyDetector(small);
        for (int i = 0; i < 10_000; i++) {
            bounded.observe(rec(T0.plusMillis(i), "repo:" + i, "p" + i, Outcome.ISSUED));
        }
        assertThat(bounded.subjectsRemembered()).isEqualTo(100);

        bounded.observe(rec(T0.plusSeconds(100), "repo:x", "deploy", Outcome.ISSUED));
        assertThat(bounded.observe(rec(T0.plusSeconds(101), "repo:x", "other", Outcome.ISSUED)))
                .contains(Signal.NEW_PROFILE_FOR_SUBJECT);
        // Two days later the subject is forgotten: a newcomer again, nothing to compare with.
        assertThat(bounded.observe(rec(T0.plus(Duration.ofDays(2)), "repo:x", "third", Outcome.ISSUED)))
                .doesNotContain(Signal.NEW_PROFILE_FOR_SUBJECT);
    }
}
