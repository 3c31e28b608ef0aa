package io.github.ephemeralcredentials.core.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rotation keeps the previous public key published for the overlap, so cached JWKS and fresh tokens never break. */
class KeyRotationTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

    @Test
    void tokenSignedWithThePreviousKeyVerifiesDuringTheOverlapAndFailsAfterIt() throws Exception {
        try (IssuerServer server = new IssuerServer(KeyRing.generate(SigningAlgorithm.RS256, clock.instant()), clock)) {
            JwksCache cache = new JwksCache(HttpClients.create(HttpSettings.DEFAULT), JwksCache.Settings.DEFAULT, clock);
            TokenVerifier verifier = TokenVerifier.builder(server.url(), "aud", cache).clock(clock).build();
            String oldToken = server.issuer().mint("job", List.of("aud"), Duration.ofHours(1), Map.of());
            String oldKid = server.keys().active().kid();

            server.keys(server.keys().rotate(SigningAlgorithm.RS256, clock.instant(), Duration.ofMinutes(10)));
            String newToken = server.issuer().mint("job", List.of("aud"), Duration.ofHours(1), Map.of());

            clock.advance(Duration.ofMinutes(5));
            assertThat(verifier.verify(newToken).subject()).isEqualTo("job");
            assertThat(verifier.verify(oldToken).subject()).as("previous key still published").isEqualTo("job");
            assertThat(server.issuer().jwks()).contains(oldKid);

            clock.advance(Duration.ofMinutes(10));
            assertThat(server.issuer().jwks()).doesNotContain(oldKid);
            clock.advance(Duration.ofMinutes(6)); // past the verifier's cache TTL, so it sees the pruned JWKS
            assertThatThrownBy(() -> verifier.verify(oldToken)).isInstanceOfSatisfying(OidcException.class,
                    e -> assertThat(e.reason()).isEqualTo(OidcException.Reason.UNKNOWN_KEY));
            assertThat(verifier.verify(newToken).subject()).isEqualTo("job");
        }
    }

    @Test
    void rotationDropsKeysWhoseOverlapEnded() {
        Instant t0 = clock.instant();
        KeyRing ring = KeyRing.generate(SigningAlgorithm.ES256, t0);
        KeyRing once = ring.rotate(SigningAlgorithm.ES256, t0, Duration.ofMinutes(10));
        KeyRing twice = once.rotate(SigningAlgorithm.ES256, t0.plus(Duration.ofMinutes(20)), Duration.ofMinutes(10));

        assertThat(once.retired()).extracting(SigningKey::kid).containsExactly(ring.active().kid());
        assertThat(twice.retired()).extracting(SigningKey::kid).containsExactly(once.active().kid());
        assertThat(twice.publicJwks(t0.plus(Duration.ofMinutes(25))).getKeys()).hasSize(2);
        assertThat(twice.publicJwks(t0.plus(Duration.ofMinutes(31))).getKeys()).hasSize(1);
    }

    @Test
    void dueForRotationAfterThePeriod() {
        KeyRing ring = KeyRing.generate(SigningAlgorithm.RS256, clock.instant());
        assertThat(ring.dueForRotation(clock.instant().plus(Duration.ofDays(29)), Duration.ofDays(30))).isFalse();
        assertThat(ring.dueForRotation(clock.instant().plus(Duration.ofDays(30)), Duration.ofDays(30))).isTrue();
    }

    @Test
    void keyRingSurvivesItsStoredFormAndNeverPrintsPrivateParts() {
        KeyRing ring = KeyRing.generate(SigningAlgorithm.RS256, clock.instant())
                .rotate(SigningAlgorithm.ES256, clock.instant(), Duration.ofHours(1));
        String stored = ring.toSecretJson();

        KeyRing restored = KeyRing.fromSecretJson(stored);

        assertThat(restored.active().kid()).isEqualTo(ring.active().kid());
        assertThat(restored.active().key().isPrivate()).isTrue();
        assertThat(restored.retired()).extracting(SigningKey::kid).containsExactly(ring.retired().get(0).kid());
        assertThat(restored.retired().get(0).publishUntil()).isEqualTo(ring.retired().get(0).publishUntil());
        String privateExponent = ((com.nimbusds.jose.jwk.RSAKey) ring.retired().get(0).key()).getPrivateExponent().toString();
        assertThat(ring.toString()).doesNotContain(privateExponent);
        assertThat(ring.publicJwks(clock.instant()).toString()).doesNotContain(privateExponent).doesNotContain("\"d\"");
        assertThatThrownBy(() -> KeyRing.fromSecretJson(stored.substring(0, stored.length() / 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(privateExponent.substring(0, 20));
    }
}
