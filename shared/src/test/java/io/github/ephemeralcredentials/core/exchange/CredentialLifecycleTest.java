package io.github.ephemeralcredentials.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialLifecycleTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Records revocations; fails those whose kind is "broken" with a message carrying the token. */
    static class RecordingProvider implements CredentialProvider {
        final String id;
        final List<String> revoked = java.util.Collections.synchronizedList(new ArrayList<>());

        RecordingProvider(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public ProviderDescriptor descriptor() {
            return new ProviderDescriptor(id, "records revocations", List.of(), List.of(), Duration.ofSeconds(1),
                    p -> Duration.ofDays(1), p -> Optional.empty(), true, null, Set.of(), null);
        }

        @Override
        public EphemeralCredential exchange(ExchangeRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void revoke(Revocation revocation) {
            if (revocation.kind().equals("broken")) {
                throw new ProviderException(id, ProviderException.Reason.UNAVAILABLE, null,
                        "revoking token " + revocation.parameters().get("token") + " failed");
            }
            revoked.add(revocation.kind());
        }
    }

    @Test
    void cleanupRevokesEverythingDeletesFilesAndCollectsFailuresRedacted(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("creds"), "x");
        RecordingProvider vault = new RecordingProvider("vault");
        EphemeralCredential credential = new EphemeralCredential("vault",
                List.of(CredentialValue.secret("token", "hvs.secret-token-value", "VAULT_TOKEN")), Map.of(),
                NOW.plusSeconds(600), List.of(
                        new Revocation("vault", "broken", Map.of("token", "hvs.secret-token-value")),
                        new Revocation("vault", "lease", Map.of("lease", "l1")),
                        new Revocation("gone", "thing", Map.of())),
                List.of(file));

        CredentialLifecycle lifecycle = new CredentialLifecycle(List.of(vault), CLOCK);
        CredentialLifecycle.CleanupReport report = lifecycle.cleanup(credential);

        assertThat(vault.revoked).containsExactly("lease");
        assertThat(file).doesNotExist();
        assertThat(report.revoked()).isEqualTo(1);
        assertThat(report.deleted()).isEqualTo(1);
        assertThat(report.clean()).isFalse();
        assertThat(report.failures()).extracting(CredentialLifecycle.CleanupReport.Failure::what)
                .containsExactly("vault/broken", "gone/thing");
        assertThat(report.failures().get(0).message()).contains("revoking token ****")
                .doesNotContain("hvs.secret-token-value").contains("expires at " + NOW.plusSeconds(600));
        assertThat(report.failures().get(1).message()).contains("no provider 'gone'");

        // Idempotent: the second run deletes nothing more and revokes again without failing differently.
        CredentialLifecycle.CleanupReport again = lifecycle.cleanup(credential);
        assertThat(again.deleted()).isZero();
        assertThat(again.failures()).hasSize(2);
    }

    @Test
    void refreshesOnlyWithinTheMargin() {
        CredentialLifecycle lifecycle = new CredentialLifecycle(List.of(), CLOCK);
        EphemeralCredential fresh = credentialExpiringAt(NOW.plus(Duration.ofMinutes(10)));
        EphemeralCredential late = credentialExpiringAt(NOW.plus(Duration.ofMinutes(4)));
        EphemeralCredential renewed = credentialExpiringAt(NOW.plus(Duration.ofHours(1)));
        AtomicInteger exchanges = new AtomicInteger();

        assertThat(lifecycle.refreshIfNeeded(fresh, CredentialLifecycle.DEFAULT_REFRESH_MARGIN, () -> {
            exchanges.incrementAndGet();
            return renewed;
        })).isSameAs(fresh);
        assertThat(exchanges).hasValue(0);
        assertThat(lifecycle.refreshIfNeeded(late, CredentialLifecycle.DEFAULT_REFRESH_MARGIN, () -> {
            exchanges.incrementAndGet();
            return renewed;
        })).isSameAs(renewed);
        assertThat(exchanges).hasValue(1);
        assertThat(lifecycle.needsRefresh(credentialExpiringAt(NOW.plus(Duration.ofMinutes(5))),
                Duration.ofMinutes(5))).isTrue();
    }

    @Test
    void refusesTwoProvidersWithOneId() {
        assertThatThrownBy(() -> new CredentialLifecycle(
                List.of(new RecordingProvider("aws"), new RecordingProvider("aws")), CLOCK))
                .hasMessageContaining("'aws'");
    }

    private static EphemeralCredential credentialExpiringAt(Instant at) {
        return new EphemeralCredential("p", List.of(), Map.of(), at, List.of(), List.of());
    }

    /** Each revocation waits at a barrier for the other: done one after the other, neither would ever pass it. */
    @Test
    void revocationsRunInParallel() {
        java.util.concurrent.CyclicBarrier both = new java.util.concurrent.CyclicBarrier(2);
        List<String> done = java.util.Collections.synchronizedList(new ArrayList<>());
        CredentialProvider meeting = new RecordingProvider("vault") {
            @Override
            public void revoke(Revocation revocation) {
                try {
                    both.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                done.add(revocation.kind());
            }
        };
        CleanupRecord record = new CleanupRecord("vault", NOW.plusSeconds(600), List.of(
                new Revocation("vault", "a", Map.of()), new Revocation("vault", "b", Map.of())), List.of(), List.of());

        CredentialLifecycle.CleanupReport report = new CredentialLifecycle(List.of(meeting), CLOCK)
                .cleanup(record, Duration.ofSeconds(30));

        assertThat(report.failures()).isEmpty();
        assertThat(report.revoked()).isEqualTo(2);
        assertThat(done).containsExactlyInAnyOrder("a", "b");
    }

    /** A revocation that never returns stops at the deadline, is named, and the files are still deleted. */
    @Test
    void aHangingRevocationStopsAtTheDeadlineNamedAndFilesAreStillDeleted(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("creds"), "x");
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        CredentialProvider hanging = new RecordingProvider("vault") {
            @Override
            public void revoke(Revocation revocation) {
                if (revocation.kind().equals("hangs")) {
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                } else {
                    super.revoke(revocation);
                }
            }
        };
        CleanupRecord record = new CleanupRecord("vault", NOW.plusSeconds(600), List.of(
                new Revocation("vault", "hangs", Map.of("token", "hvs.canary")), new Revocation("vault", "ok", Map.of())),
                List.of(file.toString()), List.of());

        CredentialLifecycle.CleanupReport report = new CredentialLifecycle(List.of(hanging), CLOCK)
                .cleanup(record, Duration.ofMillis(300));

        assertThat(report.revoked()).isEqualTo(1);
        assertThat(report.failures()).singleElement().satisfies(f -> {
            assertThat(f.what()).isEqualTo("vault/hangs");
            assertThat(f.message()).contains("did not finish within the deadline").doesNotContain("hvs.canary");
        });
        assertThat(file).doesNotExist();
    }
}
