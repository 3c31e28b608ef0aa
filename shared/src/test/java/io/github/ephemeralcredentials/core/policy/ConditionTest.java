package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConditionTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    @Test
    void numbersAndBooleansMatchOnTheirJsonText() {
        assertThat(new Condition.Equals("42", false).holds(42L, NOW)).isTrue();
        assertThat(new Condition.Equals("42", false).holds(42, NOW)).isTrue();
        assertThat(new Condition.Equals("1.5", false).holds(1.5d, NOW)).isTrue();
        assertThat(new Condition.Equals("true", false).holds(true, NOW)).isTrue();
        assertThat(new Condition.Equals("true", false).holds("true", NOW)).isTrue();
        assertThat(new Condition.Equals("True", false).holds(true, NOW)).isFalse();
        assertThat(new Condition.OneOf(List.of("41", "42"), false).holds(42L, NOW)).isTrue();
    }

    @Test
    void caseSensitiveUnlessIgnoreCase() {
        assertThat(new Condition.Equals("Acme", false).holds("acme", NOW)).isFalse();
        assertThat(new Condition.Equals("Acme", true).holds("acme", NOW)).isTrue();
        assertThat(Condition.Glob.of("repo:Acme/*", false).holds("repo:acme/app", NOW)).isFalse();
        assertThat(Condition.Glob.of("repo:Acme/*", true).holds("repo:acme/app", NOW)).isTrue();
        assertThat(Condition.Regex.of("ACME/.*", true).holds("acme/app", NOW)).isTrue();
        assertThat(Condition.Regex.of("ACME/.*", false).holds("acme/app", NOW)).isFalse();
    }

    @Test
    void aConditionOnAMissingClaimIsFalseExceptPresenceTests() {
        List<Condition> valueTests = List.of(new Condition.Equals("x", false),
                new Condition.OneOf(List.of("x"), false), Condition.Glob.of("**", false),
                Condition.Regex.of(".*", false), new Condition.MaxAge(Duration.ofDays(1)),
                new Condition.Not(new Condition.Equals("x", false)), new Condition.Present());
        for (Condition c : valueTests) {
            assertThat(c.holds(null, NOW)).as(c.expected()).isFalse();
        }
        assertThat(new Condition.Absent().holds(null, NOW)).isTrue();
        assertThat(new Condition.Not(new Condition.Present()).holds(null, NOW)).isTrue();
        assertThat(new Condition.Not(new Condition.Absent()).holds("x", NOW)).isTrue();
    }

    @Test
    void globStarStopsAtSlashAndColonDoubleStarDoesNot() {
        Condition.Glob owner = Condition.Glob.of("repo:acme/*", false);
        assertThat(owner.holds("repo:acme/app", NOW)).isTrue();
        assertThat(owner.holds("repo:acme/app:ref:refs/heads/main", NOW)).isFalse();
        assertThat(owner.holds("repo:acme/app/x", NOW)).isFalse();
        assertThat(Condition.Glob.of("repo:acme/app:**", false).holds("repo:acme/app:ref:refs/heads/main", NOW)).isTrue();
        assertThat(Condition.Glob.of("refs/heads/*", false).holds("refs/heads/feature/x", NOW)).isFalse();
        assertThat(Condition.Glob.of("refs/heads/**", false).holds("refs/heads/feature/x", NOW)).isTrue();
        assertThat(Condition.Glob.of("a.b?[c]", false).holds("a.b?[c]", NOW)).isTrue();
        assertThat(Condition.Glob.of("a.b?[c]", false).holds("aXb?[c]", NOW)).isFalse();
    }

    @Test
    void regexIsAnchoredToTheWholeValue() {
        Condition.Regex r = Condition.Regex.of("refs/heads/(main|release/.+)", false);
        assertThat(r.holds("refs/heads/main", NOW)).isTrue();
        assertThat(r.holds("refs/heads/release/1.2", NOW)).isTrue();
        assertThat(r.holds("xrefs/heads/main", NOW)).isFalse();
        assertThat(r.holds("refs/heads/mainx", NOW)).isFalse();
    }

    @Test
    void anArrayClaimPassesAValueTestWhenAnyElementDoes() {
        List<String> aud = List.of("https://github.com/acme", "sts.amazonaws.com");
        assertThat(new Condition.Equals("sts.amazonaws.com", false).holds(aud, NOW)).isTrue();
        assertThat(new Condition.Not(new Condition.Equals("sts.amazonaws.com", false)).holds(aud, NOW)).isFalse();
        assertThat(new Condition.Equals("other", false).holds(aud, NOW)).isFalse();
    }

    @Test
    void objectsMatchOnCompactJson() {
        assertThat(new Condition.Equals("{\"a\":1}", false).holds(Map.of("a", 1), NOW)).isTrue();
    }

    @Test
    void maxAgeMeasuresFromTheClaimToNow() {
        Condition.MaxAge tenMinutes = new Condition.MaxAge(Duration.ofMinutes(10));
        long now = NOW.getEpochSecond();
        assertThat(tenMinutes.holds(now - 600, NOW)).isTrue();
        assertThat(tenMinutes.holds(now - 601, NOW)).isFalse();
        assertThat(tenMinutes.holds("not a number", NOW)).isFalse();
    }

    /** A backtracking engine takes exponential time here; RE2J must finish in linear time. */
    @Test
    @Timeout(30)
    void catastrophicBacktrackingPatternsRunInLinearTimeOnAHundredKilobyteClaim() {
        String claim = "a".repeat(100_000) + "!";
        assertThat(Condition.Regex.of("(a+)+$", false).holds(claim, NOW)).isFalse();
        assertThat(Condition.Regex.of("(a|aa)+", false).holds(claim, NOW)).isFalse();
        assertThat(Condition.Regex.of("(a*)*b", false).holds(claim, NOW)).isFalse();
        assertThat(Condition.Regex.of("(a+)+!", false).holds(claim, NOW)).isTrue();
        assertThat(Condition.Glob.of("*a*a*a*a*a*a*b", false).holds(claim, NOW)).isFalse();
    }
}
