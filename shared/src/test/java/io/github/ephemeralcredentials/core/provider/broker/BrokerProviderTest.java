package io.github.ephemeralcredentials.core.provider.broker;

import static io.github.ephemeralcredentials.core.provider.CiTokens.map;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.error;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.form;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.exchange.CredentialRequest;
import io.github.ephemeralcredentials.core.exchange.Exchange;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.exchange.Plan;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.UnverifiedClaims;
import io.github.ephemeralcredentials.core.provider.CiTokens;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The client of the token-exchange service on the wire: the RFC 8693 request it posts, the service's answer read
 * byte for byte as the service writes it (RFC 8693 §2.2.1 plus {@code credential}), its errors, hostile answers
 * refused whole, and the RFC 7009 revocation.
 */
class BrokerProviderTest {

    /** The service's success answer, exactly as it writes it. */
    static final String ANSWER = """
            {"access_token":"ghs_CANARYtoken0123456789abcdef","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","token_type":"N_A","expires_in":900,
             "credential":{"provider":"github-app","expires_at":"2030-01-01T00:15:00Z",
               "values":[{"name":"token","value":"ghs_CANARYtoken0123456789abcdef","secret":true,"env":"GH_TOKEN"},{"name":"aws-region","value":"eu-west-1","secret":false,"env":"AWS_REGION"}],
               "facts":{"principal":"github-app/424242/installation/acme","scope":"contents=read"}}}""";
    static final String SECRET = "ghs_CANARYtoken0123456789abcdef";

    private final MockWebServer server = new MockWebServer();
    private final BrokerProvider provider = new BrokerProvider(HttpClients.create(HttpSettings.DEFAULT),
            Retries.immediate(3), Clock.systemUTC());
    private String url;
    private String ci;

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        url = "http://127.0.0.1:" + server.getPort();
        ci = CiTokens.mint("repo:acme/app:ref:refs/heads/main", url);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private EphemeralCredential exchange(String profile) {
        return provider.exchange(CiTokens.request(ci, map("url", url, "profile", profile)));
    }

    @Test
    void postsAnRfc8693ExchangeWithTheCiTokenAsIdTokenAndTheProfileAsAudience() throws Exception {
        server.enqueue(json(200, ANSWER));

        exchange("release");

        RecordedRequest posted = server.takeRequest();
        assertThat(posted.getMethod()).isEqualTo("POST");
        assertThat(posted.getUrl().encodedPath()).isEqualTo("/token");
        assertThat(posted.getHeaders().get("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(posted.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(posted.getHeaders().get("Authorization")).as("the CI token is the only proof").isNull();
        assertThat(form(posted)).containsExactly(
                Map.entry("grant_type", List.of("urn:ietf:params:oauth:grant-type:token-exchange")),
                Map.entry("subject_token", List.of(ci)),
                Map.entry("subject_token_type", List.of("urn:ietf:params:oauth:token-type:id_token")),
                Map.entry("audience", List.of("release")));
    }

    @Test
    void rebuildsTheServicesCredentialAsABrokerCredentialRevokedThroughTheService() {
        server.enqueue(json(200, ANSWER));

        EphemeralCredential credential = exchange("release");

        assertThat(credential.provider()).isEqualTo("broker");
        assertThat(credential.values()).containsExactly(
                CredentialValue.secret("token", SECRET, "GH_TOKEN"),
                CredentialValue.plain("aws-region", "eu-west-1", "AWS_REGION"));
        assertThat(credential.environment()).containsExactly(Map.entry("GH_TOKEN", SECRET),
                Map.entry("AWS_REGION", "eu-west-1"));
        assertThat(credential.facts()).containsExactly(
                Map.entry("principal", "github-app/424242/installation/acme"),
                Map.entry("scope", "contents=read"),
                Map.entry("service-provider", "github-app"),
                Map.entry("profile", "release"));
        assertThat(credential.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:15:00Z"));
        assertThat(credential.secrets()).containsExactly(SECRET);
        assertThat(credential.revocations()).containsExactly(new Revocation("broker", "rfc7009",
                Map.of("url", url + "/", "token", SECRET)));
        assertThat(credential.toString()).doesNotContain(SECRET);
    }

    @Test
    void aPlainRfc8693AnswerIsOneAccessTokenExportedAsAccessToken() {
        server.enqueue(json(200, "{\"access_token\":\"opaque-CANARY-1234\",\"issued_token_type\":"
                + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"N_A\",\"expires_in\":900}"));
        Instant sent = Instant.now();

        EphemeralCredential credential = exchange("release");

        assertThat(credential.values()).containsExactly(
                CredentialValue.secret("access-token", "opaque-CANARY-1234", "ACCESS_TOKEN"));
        assertThat(credential.expiresAt()).isCloseTo(sent.plusSeconds(900), within(5, ChronoUnit.SECONDS));
        assertThat(credential.facts()).containsExactly(Map.entry("profile", "release"));
        assertThat(credential.revocations()).singleElement()
                .satisfies(r -> assertThat(r.parameters()).containsEntry("token", "opaque-CANARY-1234"));
    }

    @Test
    void theEndpointsSitUnderTheBaseUrlWithOrWithoutItsTrailingSlash() throws Exception {
        for (String base : List.of(url + "/ec", url + "/ec/")) {
            server.enqueue(json(200, ANSWER));
            provider.exchange(CiTokens.request(ci, map("url", base, "profile", "release")));
            assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/ec/token");
        }
    }

    @ParameterizedTest
    @CsvSource({
            "400, invalid_grant, ACCESS_DENIED",
            "403, access_denied, ACCESS_DENIED",
            "400, invalid_target, INVALID_PARAMETERS",
            "400, invalid_request, INVALID_PARAMETERS",
            "400, unsupported_grant_type, INVALID_PARAMETERS",
            "401, invalid_client, UNEXPECTED_RESPONSE",
            "400, invalid_scope, UNEXPECTED_RESPONSE"})
    void mapsTheServicesErrors(int status, String code, Reason reason) {
        server.enqueue(error(status, code, "profile release: no rule matched"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange("release"));

        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.providerCode()).isEqualTo(code);
        assertThat(e.getMessage()).contains("profile 'release'").contains(code).contains("no rule matched");
        assertThat(server.getRequestCount()).as("refusals are not retried").isEqualTo(1);
    }

    @Test
    void aDenialKeepsThePolicysClaimByClaimExplanationWhole() {
        String explanation = "DENIED: no rule for profile 'release' matched\\n"
                + "rule main-only:\\n  [ok]   repository: 'acme/app' matches 'acme/*'\\n"
                + "  [FAIL] ref: 'refs/heads/feature' does not match 'refs/heads/main'\\n".repeat(12);
        server.enqueue(error(403, "access_denied", explanation));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange("release"));

        assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("[FAIL] ref: 'refs/heads/feature' does not match 'refs/heads/main'")
                .contains("rule main-only:\n").contains("out of the job's reach");
        assertThat(e.getMessage().split("does not match", -1)).hasSize(13);
    }

    @Test
    void aDenialIsShownLineByLineFromTheServicesExplanationNotItsFoldedDescription() {
        // As the service writes it: RFC 6749's one printable-ASCII line, and the text as written beside it.
        server.enqueue(json(400, """
                {"error":"invalid_grant","error_description":"the trust policy denied profile 'release': no rule | rule 'main-only' (allow): did not match | [FAIL] ref equals 'refs/heads/main'; presented 'refs/heads/f?t'",
                 "explanation":["the trust policy denied profile 'release': no rule","rule 'main-only' (allow): did not match","  [FAIL] ref equals 'refs/heads/main'; presented 'refs/heads/fünf'"]}"""));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange("release"));

        assertThat(e.reason()).isEqualTo(Reason.ACCESS_DENIED);
        assertThat(e.getMessage()).contains("no rule\nrule 'main-only' (allow): did not match\n  [FAIL] ref equals "
                + "'refs/heads/main'; presented 'refs/heads/fünf'").doesNotContain(" | ");
    }

    @ParameterizedTest
    @CsvSource({"429, slow down", "503, temporarily_unavailable", "502, bad gateway", "400, temporarily_unavailable"})
    void overloadIsUnavailableAndRetried(int status, String code) {
        server.enqueue(status == 429 || status == 502 ? json(status, "{}") : error(status, code, "try later"));
        server.enqueue(json(200, ANSWER));

        assertThat(exchange("release").secrets()).containsExactly(SECRET);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void staysUnavailableWhenTheServiceDoes() {
        for (int i = 0; i < 3; i++) {
            server.enqueue(error(503, "temporarily_unavailable", "replicas disagree"));
        }
        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange("release"));
        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void neverRepeatsTheCiTokenTheServiceEchoes() {
        server.enqueue(error(400, "invalid_grant", "token " + ci + " is not for this service"));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange("release"));

        assertThat(e.getMessage()).doesNotContain(ci).doesNotContain(ci.split("\\.")[1]).contains("****");
    }

    /** Each answer is refused whole: no credential, and no value of it in the message. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"env\":\"GH_TOKEN\"|\"env\":\"LD_PRELOAD\"|LD_PRELOAD, which would change how the job's later steps run",
            "\"env\":\"GH_TOKEN\"|\"env\":\"GITHUB_ENV\"|GITHUB_ENV, which would change",
            "\"env\":\"GH_TOKEN\"|\"env\":\"JAVA_TOOL_OPTIONS\"|JAVA_TOOL_OPTIONS, which would change",
            "\"env\":\"GH_TOKEN\"|\"env\":\"PATH\"|PATH, which would change",
            "\"env\":\"GH_TOKEN\"|\"env\":\"RUNNER_TEMP\"|RUNNER_TEMP, which would change",
            "\"env\":\"GH_TOKEN\"|\"env\":\"GH TOKEN=x\"|a variable that, which is not an environment variable name",
            "\"env\":\"GH_TOKEN\"|\"env\":\"1GH\"|1GH, which is not an environment variable name",
            "\"env\":\"AWS_REGION\"|\"env\":\"GH_TOKEN\"|two values exported as GH_TOKEN",
            "\"expires_at\":\"2030-01-01T00:15:00Z\",|''|without expires_at",
            "\"expires_at\":\"2030-01-01T00:15:00Z\"|\"expires_at\":\"tomorrow\"|not an ISO-8601 instant",
            "\"expires_at\":\"2030-01-01T00:15:00Z\"|\"expires_at\":\"2001-01-01T00:00:00Z\"|expired at 2001",
            "\"provider\":\"github-app\",|''|without a provider id",
            "\"secret\":true|\"secret\":\"yes\"|whose 'secret' is not true or false",
            "\"name\":\"aws-region\"|\"name\":\"token\"|the credential value 'token' twice",
            "\"name\":\"token\"|\"name\":\"to ken\"|without a name",
            "\"access_token\":\"ghs_CANARYtoken0123456789abcdef\"|\"access_token\":\"ghs_other0123456789abcdefgh\"|none of the credential's secret values",
            "\"facts\":{|\"facts\":{\"nested\":{},|'nested' that is not a single value",
            "\"credential\":{|\"credential\":[],\"x\":{|'credential' that is not an object",
            "\"values\":[|\"values\":[],\"v\":[|without values"})
    void refusesAHostileOrBrokenAnswerWhole(String replaced, String by, String message) {
        String hostile = ANSWER.replace(replaced, by);
        assertThat(hostile).isNotEqualTo(ANSWER);
        server.enqueue(json(200, hostile));

        ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange("release"));

        assertThat(e).as("answer %s", hostile).isNotNull();
        assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE);
        assertThat(e.getMessage()).contains(message).contains("nothing was handed out")
                .doesNotContain(SECRET).doesNotContain("eu-west-1");
        assertThat(server.getRequestCount()).as("not retried").isEqualTo(1);
    }

    @Test
    void refusesAnAnswerLargerThanTheLimitOrNotJsonOrWithoutExpiry() {
        String huge = "{\"access_token\":\"" + SECRET + "\",\"token_type\":\"N_A\",\"expires_in\":900,\"pad\":\""
                + "x".repeat(300 * 1024) + "\"}";
        server.enqueue(json(200, huge));
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/html")
                .body("<html>" + SECRET + "</html>").build());
        server.enqueue(json(200, "{\"access_token\":\"" + SECRET + "\",\"token_type\":\"N_A\"}"));

        for (String expected : List.of("larger than 262144 bytes", "not JSON", "without expires_in")) {
            ProviderException e = catchThrowableOfType(ProviderException.class, () -> exchange("release"));
            assertThat(e.reason()).isEqualTo(Reason.UNEXPECTED_RESPONSE);
            assertThat(e.getMessage()).contains(expected).doesNotContain(SECRET);
        }
    }

    @Test
    void refusesAUrlThatWouldSendTheTokenInClearOrNoProfileBeforeAnyRequest() {
        assertThatThrownBy(() -> provider.exchange(CiTokens.request(ci, map("url", "http://broker.example.com",
                "profile", "release")))).isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
                    assertThat(e.parameter()).contains("url");
                    assertThat(e.getMessage()).contains("use https");
                });
        assertThatThrownBy(() -> provider.exchange(CiTokens.request(ci, map("url", url))))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.parameter()).contains("profile"));
        assertThatThrownBy(() -> provider.exchange(CiTokens.request(ci, map("url", url, "profile", "p"),
                map("scopes", "x"), java.time.Duration.ofMinutes(5)))).hasMessageContaining("unknown scope entry");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void revokesThroughTheServicesRfc7009EndpointIdempotently() throws Exception {
        server.enqueue(json(200, ANSWER));
        Revocation revocation = exchange("release").revocations().get(0);
        server.takeRequest();
        server.enqueue(new MockResponse.Builder().code(200).build());
        server.enqueue(new MockResponse.Builder().code(200).build());

        provider.revoke(revocation);
        provider.revoke(revocation);

        for (int i = 0; i < 2; i++) {
            RecordedRequest posted = server.takeRequest();
            assertThat(posted.getMethod()).isEqualTo("POST");
            assertThat(posted.getUrl().encodedPath()).isEqualTo("/revoke");
            assertThat(posted.getHeaders().get("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
            assertThat(form(posted)).containsExactly(Map.entry("token", List.of(SECRET)),
                    Map.entry("token_type_hint", List.of("access_token")));
        }
    }

    @Test
    void aRevocationRetriesWhileTheServiceIsUnavailableAndReportsARefusal() {
        Revocation revocation = new Revocation("broker", "rfc7009", Map.of("url", url, "token", SECRET));
        server.enqueue(json(503, "{}"));
        server.enqueue(new MockResponse.Builder().code(200).build());
        provider.revoke(revocation);
        assertThat(server.getRequestCount()).isEqualTo(2);

        server.enqueue(error(400, "invalid_request", "no token " + SECRET));
        assertThatThrownBy(() -> provider.revoke(revocation)).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.INVALID_PARAMETERS);
            assertThat(e.getMessage()).contains("refused the revocation").doesNotContain(SECRET);
        });
        assertThatThrownBy(() -> provider.revoke(new Revocation("vault", "vault-token", Map.of())))
                .hasMessageContaining("hand it to the vault provider");
    }

    @Test
    void runsThroughTheCoreOnUnverifiedClaimsForTheServiceVerifiesTheTokenAndAsksForItsOwnUrlAsAudience() {
        server.enqueue(json(200, ANSWER));
        Plan plan = Exchange.plan(CredentialRequest.direct("broker", Map.of("url", url, "profile", "release"),
                Map.of()), null);
        assertThat(plan.audience()).isEqualTo(url);
        assertThat(plan.descriptor().presentsCiToken()).isTrue();

        ExchangeOutcome outcome = new Exchange(Map.of("broker", provider), List.of(), Clock.systemUTC())
                .run(plan, new UnverifiedClaims(CiTokens.claims(ci)), () -> ci);

        assertThat(outcome).isInstanceOfSatisfying(ExchangeOutcome.Issued.class, issued -> {
            assertThat(issued.cleanup().revocations()).hasSize(1);
            assertThat(issued.audit().toString()).doesNotContain(SECRET).doesNotContain(ci);
        });
    }
}
