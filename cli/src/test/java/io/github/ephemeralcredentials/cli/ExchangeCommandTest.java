package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.core.provider.aws.StsWire;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code exchange} outside GitHub: token from a file, credentials on stdout, diagnostics on stderr. */
class ExchangeCommandTest {

    private static final MockOAuth2Server OAUTH = new MockOAuth2Server();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void startServer() {
        OAUTH.start(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    @AfterAll
    static void stopServer() {
        OAUTH.shutdown();
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path tokenFile() throws IOException {
        TokenIssuer issuer = new TokenIssuer("https://gitlab.example.test",
                () -> KeyRing.generate(SigningAlgorithm.ES256, Instant.now()), Clock.systemUTC());
        String token = issuer.mint("project_path:acme/app:ref_type:branch:ref:main", List.of("https://as.example.test"),
                Duration.ofMinutes(5), Map.of("project_path", "acme/app"));
        return Files.writeString(dir.resolve("ci-token"), token + "\n");
    }

    @Test
    void printsEvalSafeExportLines() throws IOException {
        int code = run("exchange", "--provider", "jwt-bearer", "--token-file", tokenFile().toString(),
                "-p", "token-endpoint=" + OAUTH.tokenEndpointUrl("ci"), "-p", "client-id=deployer", "-p", "scope=deploy");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("export ACCESS_TOKEN='").endsWith("'\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void printsJson() throws IOException {
        int code = run("exchange", "--provider", "jwt-bearer", "--token-file", tokenFile().toString(), "--format", "json",
                "-p", "token-endpoint=" + OAUTH.tokenEndpointUrl("ci"), "-p", "scope=deploy");
        assertThat(code).as(err.toString()).isZero();
        JsonNode doc = JSON.readTree(out.toString());
        assertThat(doc.path("provider").asText()).isEqualTo("jwt-bearer");
        assertThat(doc.path("env").path("ACCESS_TOKEN").asText()).isNotBlank();
        assertThat(Instant.parse(doc.path("expiration").asText())).isAfter(Instant.now());
    }

    @Test
    void credentialProcessIsTheAwsDocument() throws IOException {
        ExchangeCommand command = new ExchangeCommand();
        command.format = ExchangeCommand.Format.credential_process;
        EphemeralCredential aws = new EphemeralCredential("aws", List.of(
                CredentialValue.plain("aws-access-key-id", "ASIAEXAMPLE", "AWS_ACCESS_KEY_ID"),
                CredentialValue.secret("aws-secret-access-key", "se'cret", "AWS_SECRET_ACCESS_KEY"),
                CredentialValue.secret("aws-session-token", "token", "AWS_SESSION_TOKEN")),
                Map.of(), Instant.parse("2030-01-01T00:15:00Z"), List.of(), List.of());
        JsonNode doc = JSON.readTree(command.render(aws));
        assertThat(doc.properties()).extracting(Map.Entry::getKey)
                .containsExactly("Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration");
        assertThat(doc.path("Version").asInt()).isEqualTo(1);
        assertThat(doc.path("SecretAccessKey").asText()).isEqualTo("se'cret");
        assertThat(doc.path("Expiration").asText()).isEqualTo("2030-01-01T00:15:00Z");

        command.format = ExchangeCommand.Format.env;
        assertThat(command.render(aws)).contains("export AWS_SECRET_ACCESS_KEY='se'\\''cret'\n");
    }

    @Test
    void credentialProcessForAnotherProviderIsRefusedBeforeTheExchange() throws IOException {
        int code = run("exchange", "--provider", "jwt-bearer", "--token-file", tokenFile().toString(),
                "--format", "credential-process", "-p", "token-endpoint=" + OAUTH.tokenEndpointUrl("ci"));
        assertThat(code).isEqualTo(3);
        assertThat(err.toString()).contains("credential-process is for the aws provider only");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aMisspeltParameterIsRefusedNotDropped() throws IOException {
        int code = run("exchange", "--provider", "aws", "--token-file", tokenFile().toString(),
                "-p", "role-to-assume=arn:aws:iam::123456789012:role/deploy", "-p", "aws-regoin=eu-west-1");
        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("unknown -p name(s) aws-regoin").contains("aws-region");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void badInputsSayWhatToFix() throws IOException {
        assertThat(run("exchange", "--provider", "jwt-bearer", "--token-file", dir.resolve("missing").toString(),
                "-p", "token-endpoint=http://127.0.0.1:1/token")).isEqualTo(3);
        assertThat(err.toString()).contains("cannot read the token file").contains("check the path");

        Path notJwt = Files.writeString(dir.resolve("not-jwt"), "{\"value\":\"x\"}");
        assertThat(run("exchange", "--provider", "jwt-bearer", "--token-file", notJwt.toString(),
                "-p", "token-endpoint=http://127.0.0.1:1/token")).isEqualTo(3);
        assertThat(err.toString()).contains("is not a JWT");

        assertThat(run("exchange", "--provider", "nope", "--token-file", tokenFile().toString())).isEqualTo(3);
        assertThat(err.toString()).contains("input `provider` is 'nope'; use one of");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aStateFileThatIsNotOursIsRefusedWithoutQuotingIt() throws IOException {
        Path state = Files.writeString(dir.resolve("state.json"), "{\"token\": \"s3cret-canary\"");
        int code = run("revoke", "--state", state.toString());
        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("is not what `exchange --state-file` writes").doesNotContain("s3cret-canary");
        assertThat(state).exists();
    }

    @Test
    void anExistingStateFileIsRefusedBeforeTheExchange() throws IOException {
        Path state = Files.writeString(dir.resolve("state.json"), "earlier");
        int code = run("exchange", "--provider", "jwt-bearer", "--token-file", tokenFile().toString(),
                "-p", "token-endpoint=" + OAUTH.tokenEndpointUrl("ci"), "-p", "client-id=deployer",
                "--state-file", state.toString());
        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("already exists");
        assertThat(out.toString()).isEmpty();
        assertThat(Files.readString(state)).isEqualTo("earlier");
    }

    /**
     * Outside the GitHub Action the files stay as they were: private to the user running the command (0600, theirs),
     * in $RUNNER_TEMP when it is set (else the temporary directory), under each provider's own name, exported as
     * written, and CI token files allowed, since whoever runs the command can rewrite them. A child process, so
     * RUNNER_TEMP is real; GITHUB_WORKSPACE is set too, to show the command does not write into it.
     */
    @Test
    void theCommandLineWritesPrivateFilesInRunnerTempAndKeepsCiTokenFiles() throws Exception {
        Path runnerTemp = Files.createDirectories(dir.resolve("runner_temp"));
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        try (MockWebServer sts = new MockWebServer(); MockWebServer entra = new MockWebServer()) {
            sts.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return StsWire.xml(200, StsWire.webIdentitySuccess("ASIACLI", "cli-secret", "cli-session",
                            Instant.now().plusSeconds(900).truncatedTo(ChronoUnit.SECONDS)));
                }
            });
            sts.start(InetAddress.getLoopbackAddress(), 0);
            entra.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                            .body("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"eyJ0.e.t\"}").build();
                }
            });
            entra.start(InetAddress.getLoopbackAddress(), 0);
            Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                    version: 1
                    profiles:
                      aws-file:
                        provider: aws
                        maxLifetime: 15m
                        parameters: {role-arn: "arn:aws:iam::123456789012:role/deploy", endpoint: "http://127.0.0.1:%1$d/", credentials-file: true}
                      aws-token-file:
                        provider: aws
                        maxLifetime: 15m
                        parameters: {role-arn: "arn:aws:iam::123456789012:role/deploy", endpoint: "http://127.0.0.1:%1$d/", web-identity-token-file: true}
                      azure-token-file:
                        provider: azure
                        maxLifetime: 15m
                        parameters: {tenant-id: 72f988bf-86f1-41af-91ab-2d7cd011db47, client-id: 11111111-2222-3333-4444-555555555555, authority-host: "http://127.0.0.1:%2$d", federated-token-file: true}
                    rules:
                      - name: gitlab
                        issuer: https://gitlab.example.test
                        profiles: [aws-file, aws-token-file, azure-token-file]
                        claims:
                          project_path: acme/app
                    """.formatted(sts.getPort(), entra.getPort()));
            Map<String, String> env = Map.of("RUNNER_TEMP", runnerTemp.toString(), "GITHUB_WORKSPACE",
                    workspace.toString());
            Path token = tokenFile();

            Map<String, String> exported = new java.util.LinkedHashMap<>();
            for (String profile : List.of("aws-file", "aws-token-file", "azure-token-file")) {
                Container.Result result = Container.run(env, dir, "exchange", "--token-file", token.toString(),
                        "--policy", policy.toString(), "--profile", profile, "--format", "json");
                assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
                JSON.readTree(result.stdout()).path("env").properties()
                        .forEach(e -> exported.put(e.getKey(), e.getValue().asText()));
            }

            Map<String, String> names = Map.of("AWS_SHARED_CREDENTIALS_FILE", "aws-credentials-[0-9a-f]{16}",
                    "AWS_WEB_IDENTITY_TOKEN_FILE", "aws-web-identity-token-[0-9a-f]{16}",
                    "AZURE_FEDERATED_TOKEN_FILE", "azure-federated-token-[0-9a-f]{16}\\.jwt");
            Object uid = Files.getAttribute(dir, "unix:uid");
            names.forEach((variable, name) -> {
                Path file = Path.of(exported.get(variable));
                assertThat(file.getParent()).as(variable).isEqualTo(runnerTemp);
                assertThat(file.getFileName().toString()).matches(name);
                try {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
                    assertThat(Files.getAttribute(file, "unix:uid")).isEqualTo(uid);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(Files.readString(Path.of(exported.get("AWS_WEB_IDENTITY_TOKEN_FILE"))))
                    .isEqualTo(Files.readString(token).strip());
            try (var inWorkspace = Files.list(workspace)) {
                assertThat(inWorkspace).isEmpty();
            }
        }
    }
}
