package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
}
