package io.github.ephemeralcredentials.core.provider.vault;

import static io.github.ephemeralcredentials.core.provider.CiTokens.map;
import static io.github.ephemeralcredentials.core.provider.CiTokens.mint;
import static io.github.ephemeralcredentials.core.provider.CiTokens.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.canary.SecretCanary;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** Vault's success, revocation and failure paths leak none of the secrets the (documented-format) fake issues. */
class VaultCanaryTest {

    @Test
    void noPathLeaksAVaultSecret() throws Exception {
        FakeVault vault = new FakeVault("");
        VaultProvider provider = new VaultProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(3),
                Clock.systemUTC());
        String ci = mint("repo:acme/app:ref:refs/heads/main", "https://vault.example.com");
        try (SecretCanary canary = SecretCanary.start(); MockWebServer server = new MockWebServer()) {
            vault.secrets = () -> canary.secret("vault");
            vault.kv.put("ci/db", Map.of("password", canary.secret("kv")));
            server.setDispatcher(vault);
            server.start(InetAddress.getLoopbackAddress(), 0);
            Map<String, Object> params = map("address", "http://127.0.0.1:" + server.getPort(), "role", "ci",
                    "secrets", "secret/data/ci/db password | DB_PASSWORD; database/creds/ro password");

            vault.sealedFor = 1;
            SecretCanary.Outcome<EphemeralCredential> success = canary.attempt(() -> provider.exchange(request(ci, params)));
            assertThat(success.failure()).isNull();
            canary.check("success after a retry", success, null, success.value().revocations().toString());
            canary.check("revocation", canary.attempt(() -> {
                provider.revoke(success.value().revocations().get(0));
                return "revoked";
            }), null);

            vault.denied.add("database/creds/ro");
            canary.check("denied read after login", canary.attempt(() -> provider.exchange(request(ci, params))), null);
            vault.denied.clear();
            canary.check("missing key", canary.attempt(() -> provider.exchange(request(ci,
                    map("address", "http://127.0.0.1:" + server.getPort(), "role", "ci",
                            "secrets", "database/creds/ro nope")))), null);
            assertThat(vault.liveTokens).isEmpty();
        }
    }
}
