package io.github.ephemeralcredentials.core.provider.aws;

import static io.github.ephemeralcredentials.core.provider.aws.StsWire.xml;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.canary.SecretCanary;
import io.github.ephemeralcredentials.core.exchange.CredentialLifecycle;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary secrets through every AWS path — success, STS refusals that echo the token, unreadable answers, a dead
 * endpoint, a failed chain, a failed file write, cleanup — against a fake STS in the documented wire format
 * ({@link StsWire}). No canary may reach a log line, an exception, an audit record or a {@code toString()}.
 */
class AwsCanaryTest {

    private static final Instant EXP = Instant.now().plus(Duration.ofMinutes(15));
    private static final Claims CLAIMS = Claims.of(Map.of("iss", "https://token.actions.githubusercontent.com",
            "sub", "repo:acme/app:ref:refs/heads/main", "repository", "acme/app", "run_id", "1", "jti", "j-1"));

    private final MockWebServer sts = new MockWebServer();
    @TempDir
    Path dir;
    private SecretCanary canary;
    private String ciToken;
    private String secretKey;
    private String sessionToken;
    private AwsProvider provider;

    @BeforeEach
    void start() throws Exception {
        canary = SecretCanary.start();
        ciToken = canary.secret("ci-token");
        secretKey = canary.secret("secret-access-key");
        sessionToken = canary.secret("session-token");
        sts.start(InetAddress.getLoopbackAddress(), 0);
        provider = new AwsProvider(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(2), dir);
    }

    @AfterEach
    void stop() {
        sts.close();
        canary.close();
    }

    private ExchangeRequest request(Map<String, Object> extra) {
        Map<String, Object> parameters = new HashMap<>(Map.of("role-arn", "arn:aws:iam::123456789012:role/deploy",
                "endpoint", sts.url("/").toString()));
        parameters.putAll(extra);
        return new ExchangeRequest(() -> ciToken, CLAIMS, parameters, Map.of(), Duration.ofMinutes(15));
    }

    private static AuditRecord audit(SecretCanary.Outcome<EphemeralCredential> outcome) {
        AuditRecord.Builder record = AuditRecord.of(Instant.now(), CLAIMS, outcome.failure() == null
                ? AuditRecord.Outcome.ISSUED : AuditRecord.Outcome.FAILED, AuditRecord.DEFAULT_CLAIMS)
                .profile("deploy").owner("platform");
        if (outcome.value() != null) {
            EphemeralCredential c = outcome.value();
            return record.provider(c.provider()).scope(c.facts().toString()).expiresAt(c.expiresAt()).build();
        }
        Throwable failure = outcome.failure();
        return record.provider("aws").reason(failure instanceof ProviderException pe
                ? pe.reason().name() : failure.getClass().getSimpleName(), failure.getMessage()).build();
    }

    private void check(String path, SecretCanary.Outcome<EphemeralCredential> outcome, String... extra) {
        canary.check(path, outcome, audit(outcome), extra);
    }

    @Test
    void success() {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAEXAMPLE", secretKey, sessionToken, EXP)));
        SecretCanary.Outcome<EphemeralCredential> outcome = canary.attempt(() -> provider.exchange(request(Map.of())));
        assertThat(outcome.failure()).isNull();
        // The secrets ARE in the credential's values (that is the point) — but nowhere else.
        assertThat(outcome.value().secrets()).containsExactly("ASIAEXAMPLE", secretKey, sessionToken);
        check("success", outcome, outcome.value().facts().toString(), outcome.value().values().toString());
    }

    @Test
    void successWithACredentialsFileAndItsCleanup() {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAEXAMPLE", secretKey, sessionToken, EXP)));
        SecretCanary.Outcome<EphemeralCredential> outcome = canary.attempt(
                () -> provider.exchange(request(Map.of("credentials-file", true))));
        assertThat(outcome.value().files()).hasSize(1);
        CredentialLifecycle.CleanupReport report = new CredentialLifecycle(List.of(provider), Clock.systemUTC())
                .cleanup(outcome.value());
        assertThat(outcome.value().files().get(0)).doesNotExist();
        check("credentials file", outcome, report.toString());
    }

    @Test
    void refusalsThatEchoTheToken() {
        sts.enqueue(xml(400, StsWire.stsError("Sender", "InvalidIdentityToken", "Token " + ciToken + " is bad")));
        check("STS error echoing the token", canary.attempt(() -> provider.exchange(request(Map.of()))));
        sts.enqueue(xml(403, StsWire.s3Error("AccessDenied", "denied for " + ciToken)));
        check("S3-style error echoing the token", canary.attempt(() -> provider.exchange(request(Map.of()))));
        for (int i = 0; i < 2; i++) {
            sts.enqueue(xml(400, StsWire.stsError("Sender", "IDPCommunicationError", "jwt=" + ciToken)));
        }
        check("retried then given up", canary.attempt(() -> provider.exchange(request(Map.of()))));
    }

    @Test
    void unreadableAnswersCarryingSecrets() {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("A", secretKey, sessionToken, EXP).replace("</Credentials>", "")));
        check("malformed success", canary.attempt(() -> provider.exchange(request(Map.of()))));
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("A", secretKey, sessionToken, EXP)
                .replace("<Expiration>", "<Expiration>" + secretKey)));
        check("bad expiration", canary.attempt(() -> provider.exchange(request(Map.of()))));
        sts.enqueue(new MockResponse.Builder().code(502).body("<html>" + ciToken + "</html>").build());
        sts.enqueue(new MockResponse.Builder().code(502).body("<html>" + ciToken + "</html>").build());
        check("proxy error page", canary.attempt(() -> provider.exchange(request(Map.of()))));
    }

    @Test
    void deadEndpoint() {
        sts.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        sts.enqueue(new MockResponse.Builder().onRequestStart(new SocketEffect.CloseSocket()).build());
        SecretCanary.Outcome<EphemeralCredential> outcome = canary.attempt(() -> provider.exchange(request(Map.of())));
        assertThat(outcome.failure()).isInstanceOf(ProviderException.class);
        check("connection failure", outcome);
    }

    @Test
    void failedChain() {
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIAFIRST", secretKey, sessionToken, EXP)));
        sts.enqueue(xml(403, StsWire.stsError("Sender", "AccessDenied", "session " + sessionToken + " key " + secretKey)));
        SecretCanary.Outcome<EphemeralCredential> outcome = canary.attempt(() -> provider.exchange(
                request(Map.of("chain-role-arn", "arn:aws:iam::210987654321:role/target"))));
        assertThat(outcome.failure()).isInstanceOf(ProviderException.class);
        check("chain refused", outcome);
    }

    @Test
    void failedFileWrite() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIA", secretKey, sessionToken, EXP)));
        SecretCanary.Outcome<EphemeralCredential> outcome = canary.attempt(() -> provider.exchange(
                request(Map.of("credentials-file", notADirectory.resolve("creds").toString()))));
        assertThat(outcome.failure()).isInstanceOf(ProviderException.class).hasMessageContaining("could not write");
        check("file write failure", outcome);
        sts.enqueue(xml(200, StsWire.webIdentitySuccess("ASIA", secretKey, sessionToken, EXP)));
        check("token file write failure", canary.attempt(() -> provider.exchange(
                request(Map.of("web-identity-token-file", notADirectory.resolve("token").toString())))));
    }
}
