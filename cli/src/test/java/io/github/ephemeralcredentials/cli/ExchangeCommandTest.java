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
                "-p", "token-endpoint=" + OAUTH.tokenEndpointUrl("ci"), "-p", "client-id=deployer", "-p", "scopes=deploy");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("export ACCESS_TOKEN='").endsWith("'\n");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void printsJson() throws IOException {
        int code = run("exchange", "--provider", "jwt-bearer", "--token-file", tokenFile().toString(), "--format", "json",
                "-p", "token-endpoint=" + OAUTH.tokenEndpointUrl("ci"), "-p", "scopes=deploy");
        assertThat(code).as(err.toString()).isZero();
        JsonNode doc = JSON.readTree(out.toString());
        assertThat(doc.path("provider").asText()).isEqualTo("jwt-bearer");
        assertThat(doc.path("env").path("ACCESS_TOKEN").asText()).isNotBlank();
        assertThat(Instant.parse(doc.path("expiration").asText())).isAfter(Instant.now());
    }

    @Test
    void credentialProcessIsTheAwsDocument() throws IOException {
        EphemeralCredential aws = new EphemeralCredential("aws", List.of(
                CredentialValue.plain("aws-access-key-id", "ASIAEXAMPLE", "AWS_ACCESS_KEY_ID"),
                CredentialValue.secret("aws-secret-access-key", "se'cret", "AWS_SECRET_ACCESS_KEY"),
                CredentialValue.secret("aws-session-token", "token", "AWS_SESSION_TOKEN")),
                Map.of(), Instant.parse("2030-01-01T00:15:00Z"), List.of(), List.of());
        JsonNode doc = JSON.readTree(CredentialFormat.CREDENTIAL_PROCESS.render(aws));
        assertThat(doc.properties()).extracting(Map.Entry::getKey)
                .containsExactly("Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration");
        assertThat(doc.path("Version").asInt()).isEqualTo(1);
        assertThat(doc.path("SecretAccessKey").asText()).isEqualTo("se'cret");
        assertThat(doc.path("Expiration").asText()).isEqualTo("2030-01-01T00:15:00Z");

        assertThat(CredentialFormat.ENV.render(aws)).contains("export AWS_SECRET_ACCESS_KEY='se'\\''cret'\n");
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
                "-p", "role-arn=arn:aws:iam::123456789012:role/deploy", "-p", "aws-regoin=eu-west-1");
        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("unknown -p name(s) aws-regoin").contains("region");
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
        assertThat(err.toString()).contains("--provider 'nope' is not one of aws, azure");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aStateFileThatIsNotOursIsRefusedWithoutQuotingIt() throws IOException {
        Path state = Files.writeString(dir.resolve("state.json"), "{\"token\": \"s3cret-canary\"");
        int code = run("revoke", "--state", state.toString());
        assertThat(code).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("cannot be read").contains("nothing was revoked").doesNotContain("s3cret-canary");
        assertThat(state).exists();
    }

    @Test
    void aStateFileThatIsALinkOrADeviceIsRefusedUnread() throws IOException {
        Path target = Files.writeString(dir.resolve("someone-elses.json"), "{}");
        Path link = Files.createSymbolicLink(dir.resolve("state.json"), target);
        assertThat(run("revoke", "--state", link.toString())).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("is not a regular file (a link or a device)");
        assertThat(run("revoke", "--state", "/dev/zero")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(target).exists();
    }

    @Test
    void aTokenFileOfEndlessBytesIsRefusedWithoutReadingItAll() {
        assertThat(run("exchange", "--provider", "jwt-bearer", "--token-file", "/dev/zero",
                "-p", "token-endpoint=http://127.0.0.1:1/token")).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString()).contains("holds more than").contains("bytes");
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

    /** A CI issuer on loopback: discovery and JWKS served from our own {@link TokenIssuer}, as GitLab serves its own. */
    static final class Issuer implements AutoCloseable {
        final MockWebServer server = new MockWebServer();
        final TokenIssuer tokens;

        Issuer() throws IOException {
            server.start(InetAddress.getLoopbackAddress(), 0);
            tokens = new TokenIssuer(url(), () -> KEYS, Clock.systemUTC());
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String body = request.getUrl().encodedPath().endsWith("/jwks") ? tokens.jwks() : tokens.discoveryDocument();
                    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
                }
            });
        }

        private static final KeyRing KEYS = KeyRing.generate(SigningAlgorithm.ES256, Instant.now());

        String url() {
            return "http://127.0.0.1:" + server.getPort();
        }

        String mint(String audience) {
            return tokens.mint("project_path:acme/app:ref_type:branch:ref:main", List.of(audience),
                    Duration.ofMinutes(5), Map.of("project_path", "acme/app"));
        }

        @Override
        public void close() {
            server.close();
        }
    }

    private static final String GATED_POLICY = """
            version: 1
            profiles:
              deploy:
                provider: jwt-bearer
                maxLifetime: 10m
                parameters: {token-endpoint: "%s", client-id: deployer}
                scope: {scopes: deploy}
            rules:
              - name: acme-main
                issuer: %s
                profiles: [deploy]
                claims: {project_path: acme/app}
            """;

    /**
     * The policy decides only on a verified token: one of valid shape, naming the trusted issuer and carrying the
     * claims the rule wants, but signed by another key, is refused before the policy decides or any provider is asked.
     */
    @Test
    void withAPolicyAForgedTokenIsRefusedBeforeAnyProviderIsCalled() throws Exception {
        try (Issuer ci = new Issuer(); MockWebServer tokenEndpoint = new MockWebServer()) {
            tokenEndpoint.start(InetAddress.getLoopbackAddress(), 0);
            String endpoint = "http://127.0.0.1:" + tokenEndpoint.getPort() + "/token";
            Path policy = Files.writeString(dir.resolve("policy.yaml"), GATED_POLICY.formatted(endpoint, ci.url()));
            TokenIssuer forger = new TokenIssuer(ci.url(), () -> KeyRing.generate(SigningAlgorithm.ES256, Instant.now()),
                    Clock.systemUTC());
            Path forged = Files.writeString(dir.resolve("forged"), forger.mint("project_path:acme/app:ref_type:branch:ref:main",
                    List.of(endpoint), Duration.ofMinutes(5), Map.of("project_path", "acme/app")));

            int code = run("exchange", "--token-file", forged.toString(), "--policy", policy.toString(),
                    "--profile", "deploy", "--issuer", ci.url());

            assertThat(code).isEqualTo(ExitCodes.NO);
            assertThat(err.toString()).contains("the CI token was refused").contains("nothing was asked of any provider");
            assertThat(tokenEndpoint.getRequestCount()).as("the provider's endpoint").isZero();
            assertThat(out.toString()).isEmpty();
            assertThat(err.toString()).doesNotContain(Files.readString(forged));
        }
    }

    @Test
    void withAPolicyATokenFromAnIssuerNobodyTrustedIsRefusedWithoutFetchingItsKeys() throws Exception {
        try (Issuer ci = new Issuer(); Issuer stranger = new Issuer()) {
            Path policy = Files.writeString(dir.resolve("policy.yaml"),
                    GATED_POLICY.formatted("http://127.0.0.1:1/token", stranger.url()));
            Path token = Files.writeString(dir.resolve("token"), stranger.mint("http://127.0.0.1:1/token"));

            int code = run("exchange", "--token-file", token.toString(), "--policy", policy.toString(),
                    "--profile", "deploy", "--issuer", ci.url());

            assertThat(code).isEqualTo(ExitCodes.NO);
            assertThat(err.toString()).contains("is not one this command trusts").contains("--issuer");
            assertThat(stranger.server.getRequestCount()).as("the untrusted issuer's keys").isZero();
        }
    }

    @Test
    void withAPolicyAVerifiedTokenIsDecidedOnAndAllowed() throws Exception {
        try (Issuer ci = new Issuer()) {
            Path policy = Files.writeString(dir.resolve("policy.yaml"),
                    GATED_POLICY.formatted(OAUTH.tokenEndpointUrl("ci"), ci.url()));
            Path token = Files.writeString(dir.resolve("token"), ci.mint(OAUTH.tokenEndpointUrl("ci").toString()));

            int code = run("exchange", "--token-file", token.toString(), "--policy", policy.toString(),
                    "--profile", "deploy", "--issuer", ci.url());

            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).startsWith("export ACCESS_TOKEN='");
        }
    }

    /** A provider that never shows the CI token to a verifier does not run on decoded claims, policy or not. */
    @Test
    void githubAppRefusesAnUnverifiableTokenAndSaysWhereToRunIt() throws IOException {
        int code = run("exchange", "--provider", "github-app", "--token-file", tokenFile().toString(),
                "-p", "app-id=424242", "-p", "private-key-env=GITHUB_APP_KEY", "-p", "owner=acme",
                "--audience", "https://as.example.test");

        assertThat(code).isEqualTo(ExitCodes.NO);
        assertThat(err.toString()).contains("the CI token was refused");
        assertThat(out.toString()).isEmpty();
    }

    /**
     * Outside the GitHub Action the files stay as they were: private to the user running the command (0600, theirs),
     * in $TMPDIR when it is set (else the temporary directory), under each provider's own name, exported as
     * written, and CI token files allowed, since whoever runs the command can rewrite them. A child process, so
     * TMPDIR is real; GITHUB_WORKSPACE is set too, to show the command does not write into it. The policy decides on
     * the token verified against its issuer's keys.
     */
    @Test
    void theCommandLineWritesPrivateFilesInTmpdirAndKeepsCiTokenFiles() throws Exception {
        Path runnerTemp = Files.createDirectories(dir.resolve("runner_temp"));
        Path workspace = Files.createDirectories(dir.resolve("workspace"));
        try (MockWebServer sts = new MockWebServer(); MockWebServer entra = new MockWebServer();
             Issuer gitlab = new Issuer()) {
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
                        issuer: %3$s
                        profiles: [aws-file, aws-token-file, azure-token-file]
                        claims:
                          project_path: acme/app
                    """.formatted(sts.getPort(), entra.getPort(), gitlab.url()));
            Map<String, String> env = Map.of("TMPDIR", runnerTemp.toString(), "GITHUB_WORKSPACE",
                    workspace.toString());
            Path token = Files.writeString(dir.resolve("verified-token"), gitlab.mint("sts.amazonaws.com"));

            Map<String, String> exported = new java.util.LinkedHashMap<>();
            for (String profile : List.of("aws-file", "aws-token-file", "azure-token-file")) {
                Container.Result result = Container.run(env, dir, "exchange", "--token-file", token.toString(),
                        "--policy", policy.toString(), "--profile", profile, "--format", "json",
                        "--issuer", gitlab.url(), "--audience", "sts.amazonaws.com");
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
