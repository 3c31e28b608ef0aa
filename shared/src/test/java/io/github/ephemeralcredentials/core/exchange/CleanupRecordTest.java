package io.github.ephemeralcredentials.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.credential.Revocation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CleanupRecordTest {

    private static final String SECRET = "hvs.canary-cleanup-secret-7f3a";
    private static final CleanupRecord RECORD = new CleanupRecord("vault", Instant.parse("2030-01-01T00:15:00Z"),
            List.of(new Revocation("vault", "token", Map.of("token", SECRET, "address", "https://vault.example.com"))),
            List.of("/tmp/creds"), List.of("VAULT_TOKEN"));

    @Test
    void roundTripsThroughJsonAndNamesItsSecretsButNeverPrintsThem() {
        assertThat(CleanupRecord.fromJson(RECORD.toJson(), "test")).isEqualTo(RECORD);
        assertThat(RECORD.secrets()).contains(SECRET);
        assertThat(RECORD.toString()).doesNotContain(SECRET).contains("vault/token");
    }

    @Test
    void aBrokenOrHostileRecordIsRefusedWithoutQuotingIt() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        for (String broken : List.of("{\"version\":2,\"provider\":\"aws\"}", "[1]", "{\"version\":1}", "{", "",
                "{\"version\":1,\"provider\":\"aws\",\"expiresAt\":\"" + SECRET + "\"}",
                "{\"version\":1,\"provider\":\"aws\",\"expiresAt\":\"2030-01-01T00:00:00Z\",\"files\":[{\"x\":\""
                        + SECRET + "\"}]}",
                "{\"version\":1,\"provider\":\"aws\",\"expiresAt\":\"2030-01-01T00:00:00Z\",\"revocations\":[{\"provider\":"
                        + "\"vault\",\"kind\":\"token\",\"parameters\":{\"token\":[\"" + SECRET + "\"]}}]}",
                deep, "{\"a\":\"" + "x".repeat(CleanupRecord.MAX_JSON_CHARS) + "\"}")) {
            assertThatThrownBy(() -> CleanupRecord.fromJson(broken, "the saved state"))
                    .isInstanceOfSatisfying(ExchangeException.class, e -> assertThat(e.reason())
                            .isEqualTo(ExchangeException.Reason.UNREADABLE_CLEANUP_RECORD))
                    .hasMessageStartingWith("the saved state cannot be read")
                    .hasMessageContaining("nothing was revoked")
                    .hasMessageNotContaining(SECRET);
        }
    }

    @Test
    void aRecordWithAMissingFieldSaysWhichNotThatItIsNoJson() {
        assertThatThrownBy(() -> CleanupRecord.fromJson("{\"version\":1,\"expiresAt\":\"2030-01-01T00:00:00Z\"}", "the state"))
                .hasMessageContaining("'provider' is missing").hasMessageNotContaining("not the JSON");
    }
}
