package io.github.ephemeralcredentials.core.provider.gcp;

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
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GCP's success and failure paths leak none of the tokens the (documented-format) fake issues. */
class GcpCanaryTest {

    @TempDir
    Path temp;

    @Test
    void noPathLeaksAGoogleToken() throws Exception {
        FakeGoogle google = new FakeGoogle();
        GcpProvider provider = new GcpProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(3),
                Clock.systemUTC(), temp);
        String sub = "repo:acme/app:ref:refs/heads/main";
        String ci = mint(sub, "https://iam.googleapis.com/" + FakeGoogle.PROVIDER);
        try (SecretCanary canary = SecretCanary.start(); MockWebServer server = new MockWebServer()) {
            google.secrets = () -> canary.secret("google");
            google.echoTokens = true;
            server.setDispatcher(google);
            server.start(InetAddress.getLoopbackAddress(), 0);
            String base = "http://127.0.0.1:" + server.getPort();
            Map<String, Object> params = map("workload-identity-provider", FakeGoogle.PROVIDER,
                    "sts-endpoint", base + "/v1/token", "iamcredentials-endpoint", base,
                    "service-account", FakeGoogle.SA, "credentials-file", true);
            google.workloadIdentityUsers.put(FakeGoogle.SA, Set.of(GcpProviderTest.PRINCIPAL));

            google.failures = 1;
            SecretCanary.Outcome<EphemeralCredential> success = canary.attempt(() -> provider.exchange(request(ci, params)));
            assertThat(success.failure()).isNull();
            assertThat(success.value().files()).allMatch(f -> f.startsWith(temp));
            canary.check("success after a retry", success, null);

            google.workloadIdentityUsers.put(FakeGoogle.SA, Set.of());
            canary.check("impersonation denied (Google echoes the credential)",
                    canary.attempt(() -> provider.exchange(request(ci, params))), null);
            canary.check("audience refused", canary.attempt(() -> provider.exchange(request(
                    mint(sub, "wrong"), params))), null);
        }
    }
}
