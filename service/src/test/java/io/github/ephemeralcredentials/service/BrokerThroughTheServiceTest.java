package io.github.ephemeralcredentials.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.exchange.CredentialLifecycle;
import io.github.ephemeralcredentials.core.exchange.CredentialRequest;
import io.github.ephemeralcredentials.core.exchange.Exchange;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.exchange.Plan;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.BuildFacts;
import io.github.ephemeralcredentials.core.oidc.BuildToken;
import io.github.ephemeralcredentials.core.oidc.BuildTokens;
import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.service.config.ServiceConfigReader;
import io.github.ephemeralcredentials.service.state.SharedStates;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jenkins plugin's path to the service, without Jenkins: the controller mints the build's token itself (the
 * core's {@link BuildTokens}, as the plugin's issuer does), its own policy names a {@code broker} profile, and the
 * core's one exchange carries the token to the real service, which verifies it, applies its policy and signs a JWT.
 * The controller never needs an {@code audience}: the broker's default is the service's URL.
 */
class BrokerThroughTheServiceTest {

    @TempDir
    Path dir;

    @Test
    void aControllerMintedTokenReachesTheServiceThroughTheBrokerAndIsRevokedThere() throws Exception {
        ByteArrayOutputStream audit = new ByteArrayOutputStream();
        try (IssuerServer jenkins = new IssuerServer(KeyRing.generate(SigningAlgorithm.ES256, Instant.now()),
                Clock.systemUTC())) {
            int port = LoopbackPort.free();
            String url = "http://127.0.0.1:" + port;
            Files.writeString(dir.resolve("policy.yaml"), """
                    version: 1
                    profiles:
                      internal-api:
                        provider: jwt
                        maxLifetime: 5m
                        parameters: {audience: https://api.internal.example, claims: [job_full_name, branch]}
                    rules:
                      - name: deploy-job-on-main
                        issuer: %s
                        profiles: [internal-api]
                        claims: {job_full_name: team/deploy, branch: main}
                    """.formatted(jenkins.url()));
            Path config = Files.writeString(dir.resolve("service.yaml"), """
                    listen: 127.0.0.1:%d
                    url: %s
                    trust: [%s]
                    policy: policy.yaml
                    """.formatted(port, url, jenkins.url()));
            try (TokenExchangeService service = TokenExchangeService.start(ServiceConfigReader.read(config),
                    SharedStates.open("memory", Clock.systemUTC()), name -> null, audit, Clock.systemUTC())) {
                // The controller's own policy: one profile that asks the service.
                Policy controller = PolicyLoader.parse("""
                        version: 1
                        profiles:
                          via-service:
                            provider: broker
                            maxLifetime: 10m
                            parameters: {url: "%s", profile: internal-api}
                        rules:
                          - name: deploy-job
                            issuer: %s
                            profiles: [via-service]
                            claims: {job_full_name: team/deploy}
                        """.formatted(url, jenkins.url()), "controller policy", Providers.descriptors());
                Plan plan = Exchange.plan(CredentialRequest.forProfile("via-service"), controller);
                assertThat(plan.audience()).as("the broker's default audience").isEqualTo(url);

                BuildToken token = new BuildTokens(jenkins.issuer()).mint(new BuildFacts(
                        "https://jenkins.example.com/", "team/deploy", "deploy", "main", null, null, 42,
                        "https://jenkins.example.com/job/team/job/deploy/42/", "user", "team/deploy#42"),
                        plan.audience(), Duration.ofMinutes(5));
                var http = HttpClients.create(HttpSettings.DEFAULT);
                var providers = Providers.standard(http, Retries.DEFAULT, name -> null, Clock.systemUTC());
                ExchangeOutcome outcome = new Exchange(providers, AuditRecord.DEFAULT_CLAIMS, Clock.systemUTC())
                        .run(plan, token.claims(), token::token);

                assertThat(outcome).isInstanceOf(ExchangeOutcome.Issued.class);
                ExchangeOutcome.Issued issued = (ExchangeOutcome.Issued) outcome;
                String jwt = issued.credential().environment().get("EPHEMERAL_CREDENTIALS_JWT");
                assertThat(jwt).isNotBlank();
                assertThat(issued.credential().facts()).containsEntry("service-provider", "jwt")
                        .containsEntry("profile", "internal-api");

                var report = new CredentialLifecycle(providers, Clock.systemUTC()).cleanup(issued.cleanup());
                assertThat(report.failures()).isEmpty();
                assertThat(report.revoked()).isEqualTo(1);
                assertThat(audit.toString(StandardCharsets.UTF_8)).contains("\"outcome\":\"ISSUED\"")
                        .doesNotContain(token.token()).doesNotContain(jwt);
            }
        }
    }
}
