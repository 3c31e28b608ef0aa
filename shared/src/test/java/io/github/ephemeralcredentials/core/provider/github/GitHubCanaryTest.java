package io.github.ephemeralcredentials.core.provider.github;

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
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * The GitHub App paths leak neither an installation token nor the App's private key, including through hub4j's own
 * logging of retries.
 */
class GitHubCanaryTest {

    @Test
    void noPathLeaksATokenOrTheAppKey() throws Exception {
        GitHubAppProviderTest.keys();
        FakeGitHub github = new FakeGitHub(GitHubAppProviderTest.APP_ID,
                (RSAPublicKey) GitHubAppProviderTest.appKeys.getPublic());
        github.installations.put("acme", new FakeGitHub.Installation(7001, "acme", Map.of("contents", "read"), false,
                Set.of("app")));
        GitHubAppProvider provider = new GitHubAppProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(3),
                Map.of("GITHUB_APP_PRIVATE_KEY", GitHubAppProviderTest.pkcs1)::get, Clock.systemUTC());
        String ci = mint("repo:acme/app:ref:refs/heads/main", "https://github.com/acme");
        try (SecretCanary canary = SecretCanary.start(); MockWebServer server = new MockWebServer()) {
            github.secrets = () -> canary.secret("github");
            server.setDispatcher(github);
            server.start(InetAddress.getLoopbackAddress(), 0);
            Map<String, Object> params = map("app-id", String.valueOf(GitHubAppProviderTest.APP_ID),
                    "private-key-env", "GITHUB_APP_PRIVATE_KEY", "owner", "acme",
                    "api-url", "http://127.0.0.1:" + server.getPort() + "/api/v3");
            String keyLine = GitHubAppProviderTest.pkcs1.split("\n")[5];

            github.unavailableFor = 1;
            SecretCanary.Outcome<EphemeralCredential> success = canary.attempt(() -> provider.exchange(request(ci, params,
                    map("repositories", List.of("app"), "permissions", map("contents", "read")), Duration.ofMinutes(10))));
            assertThat(success.failure()).isNull();
            canary.check("success after a retry", success, null);
            canary.check("revocation", canary.attempt(() -> {
                provider.revoke(success.value().revocations().get(0));
                return "revoked";
            }), null);
            canary.check("422 too broad", canary.attempt(() -> provider.exchange(request(ci, params,
                    map("permissions", map("contents", "write")), Duration.ofMinutes(10)))), null);
            assertThat(canary.logLines()).noneMatch(l -> l.contains(keyLine));
        }
        assertThat(github.violations).isEmpty();
    }
}
