package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.action.ActionRuntime;
import io.github.ephemeralcredentials.action.MainStep;
import io.github.ephemeralcredentials.action.PostStep;
import io.github.ephemeralcredentials.action.RunnerEmulation;
import io.github.ephemeralcredentials.action.RunnerFileCommands;
import io.github.ephemeralcredentials.action.WorkflowCommands;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.JwksCache;
import io.github.ephemeralcredentials.core.oidc.TokenVerifier;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.service.TokenExchangeService;
import io.github.ephemeralcredentials.service.config.ServiceConfigReader;
import io.github.ephemeralcredentials.service.state.SharedStates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Action's {@code broker-url} against the real token-exchange service, in process: the runner's token
 * (audience: the service's URL) goes to the service, which verifies it against the runner's issuer, applies its
 * policy and signs a JWT; the step masks and exports it, and the post step revokes through the service.
 */
class BrokerServiceEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void theStepGetsWhatTheServiceDecidesAndThePostStepRevokesThroughIt() throws Exception {
        ByteArrayOutputStream audit = new ByteArrayOutputStream();
        try (RunnerEmulation runner = new RunnerEmulation(dir.resolve("runner"))) {
            int port;
            try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            String url = "http://127.0.0.1:" + port;
            Files.writeString(dir.resolve("policy.yaml"), """
                    version: 1
                    profiles:
                      internal-api:
                        provider: jwt
                        maxLifetime: 5m
                        parameters: {audience: https://api.internal.example, claims: [repository, ref]}
                    rules:
                      - name: octo-repo
                        issuer: %s
                        profiles: [internal-api]
                        claims: {repository: %s, aud: "%s"}
                    """.formatted(runner.issuerUrl(), RunnerEmulation.REPOSITORY, url));
            Path config = Files.writeString(dir.resolve("service.yaml"), """
                    listen: 127.0.0.1:%d
                    url: %s
                    trust: [%s]
                    policy: policy.yaml
                    """.formatted(port, url, runner.issuerUrl()));
            try (TokenExchangeService service = TokenExchangeService.start(ServiceConfigReader.read(config),
                    SharedStates.open("memory", Clock.systemUTC()), name -> null, audit, Clock.systemUTC())) {
                var http = HttpClients.create(HttpSettings.DEFAULT);
                ActionRuntime runtime = new ActionRuntime(http, Retries.immediate(2), Providers.standard(http,
                        Retries.immediate(2), name -> null, dir.resolve("files"), Clock.systemUTC()));
                Map<String, String> inputs = Map.of("broker-url", url, "profile", "internal-api");
                ByteArrayOutputStream out = new ByteArrayOutputStream();

                int exit = new MainStep(runner.environment(inputs, true),
                        new WorkflowCommands(new PrintStream(out, true, StandardCharsets.UTF_8)), runtime).run();

                String log = out.toString(StandardCharsets.UTF_8);
                assertThat(exit).as(log).isZero();
                String jwt = RunnerFileCommands.read(runner.step().env()).get("EPHEMERAL_CREDENTIALS_JWT");
                assertThat(jwt).isNotBlank();
                assertThat(log).contains("::add-mask::" + jwt);
                var claims = TokenVerifier.builder(url, "https://api.internal.example",
                        new JwksCache(http, JwksCache.Settings.DEFAULT, Clock.systemUTC())).build().verify(jwt);
                assertThat(claims.string("repository")).contains(RunnerEmulation.REPOSITORY);

                ByteArrayOutputStream postOut = new ByteArrayOutputStream();
                int post = new PostStep(runner.postEnvironment(inputs, RunnerFileCommands.read(runner.step().state())),
                        new WorkflowCommands(new PrintStream(postOut, true, StandardCharsets.UTF_8)), runtime).run();
                assertThat(post).isZero();
                assertThat(postOut.toString(StandardCharsets.UTF_8)).contains("revoked 1 of 1");
                assertThat(audit.toString(StandardCharsets.UTF_8)).contains("\"outcome\":\"ISSUED\"")
                        .doesNotContain(jwt);
            }
        }
    }
}
