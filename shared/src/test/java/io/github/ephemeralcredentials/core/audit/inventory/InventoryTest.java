package io.github.ephemeralcredentials.core.audit.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.AuditRecord.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static AuditRecord rec(int minute, String subject, String profile, Outcome outcome, String ref,
                                   String... tags) {
        return AuditRecord.builder().timestamp(T0.plusSeconds(60L * minute)).issuer("https://issuer.test")
                .subject(subject).profile(profile).owner("team-" + profile).tags(List.of(tags))
                .claims(ref == null ? Map.of() : Map.of("ref", ref)).outcome(outcome)
                .reason(outcome == Outcome.DENIED ? "ACCESS_DENIED" : null, null).build();
    }

    @Test
    void countsUseByProfileListsRepeatedDenialsAndSensitiveUseFromUnusualRefs() {
        List<AuditRecord> trail = new ArrayList<>(List.of(
                rec(5, "repo:a:ref:refs/heads/main", "deploy", Outcome.ISSUED, "refs/heads/main", "env=production"),
                rec(1, "repo:a:ref:refs/heads/main", "deploy", Outcome.ISSUED, "refs/heads/main", "env=production"),
                rec(7, "repo:a:ref:refs/heads/feature", "deploy", Outcome.ISSUED, "refs/heads/feature", "env=production"),
                rec(8, "repo:b", "read", Outcome.FAILED, "refs/heads/x"),
                rec(9, "repo:b", "deploy", Outcome.DENIED, "refs/heads/x"),
                rec(10, "repo:b", "deploy", Outcome.DENIED, "refs/heads/x"),
                rec(11, "repo:b", "deploy", Outcome.DENIED, "refs/heads/x")));

        Inventory inventory = Inventory.of(trail, List.of(), InventoryOptions.defaults());

        assertThat(inventory.records()).isEqualTo(7);
        ProfileUsage deploy = inventory.profiles().get(0);
        assertThat(deploy.profile()).isEqualTo("deploy");
        assertThat(deploy.owner()).isEqualTo("team-deploy");
        assertThat(deploy.issued()).isEqualTo(3);
        assertThat(deploy.denied()).isEqualTo(3);
        assertThat(deploy.firstUse()).isEqualTo(T0.plusSeconds(60));
        assertThat(deploy.lastUse()).isEqualTo(T0.plusSeconds(660));
        assertThat(deploy.sensitive()).isTrue();
        assertThat(deploy.subjects()).containsExactly("repo:a:ref:refs/heads/feature", "repo:a:ref:refs/heads/main",
                "repo:b");
        assertThat(inventory.profiles().get(1).failed()).isEqualTo(1);
        assertThat(inventory.repeatedlyDenied()).singleElement()
                .satisfies(d -> assertThat(d.subject()).isEqualTo("repo:b"))
                .satisfies(d -> assertThat(d.count()).isEqualTo(3))
                .satisfies(d -> assertThat(d.reasons()).containsExactly("ACCESS_DENIED"));
        assertThat(inventory.unusualRefs()).singleElement()
                .satisfies(u -> assertThat(u.ref()).isEqualTo("refs/heads/feature"));
        // repo:b asked for deploy after only a failure for read: it never got anything, so no NEW_PROFILE flag.
        assertThat(inventory.anomalies()).noneMatch(f -> f.signals().contains("NEW_PROFILE_FOR_SUBJECT"));
    }

    @Test
    void flagsRecordedByTheServiceAreKeptAndHistoryAddsItsOwn() {
        List<AuditRecord> trail = new ArrayList<>();
        trail.add(rec(0, "repo:c", "read", Outcome.ISSUED, "refs/heads/main").toBuilder()
                .anomalies(List.of("RATE_SPIKE")).build());
        trail.add(rec(1, "repo:c", "deploy", Outcome.ISSUED, "refs/heads/main"));
        Inventory inventory = Inventory.of(trail, List.of(), InventoryOptions.defaults());
        assertThat(inventory.anomalies()).extracting(Inventory.Flagged::signals)
                .containsExactly(List.of("RATE_SPIKE"), List.of("NEW_PROFILE_FOR_SUBJECT"));
    }

    @Test
    void aRevocationThatNamesNoProfileIsNoRowOfItsOwn() {
        List<AuditRecord> trail = List.of(
                rec(1, "repo:a", "deploy", Outcome.ISSUED, "refs/heads/main"),
                rec(2, null, null, Outcome.REVOKED, null),
                rec(3, "repo:a", "deploy", Outcome.REVOKED, "refs/heads/main"));

        Inventory inventory = Inventory.of(trail, List.of(), InventoryOptions.defaults());

        assertThat(inventory.records()).isEqualTo(3);
        assertThat(inventory.profiles()).extracting(ProfileUsage::profile).containsExactly("deploy");
        assertThat(inventory.profiles().get(0).revoked()).isEqualTo(1);
    }
}
