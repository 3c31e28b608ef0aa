package io.github.ephemeralcredentials.core.provider.oauth;

import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.ciToken;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.json;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.params;
import static io.github.ephemeralcredentials.core.provider.oauth.OAuthWire.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.core.provider.azure.AzureProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Canary secrets through every path of the OAuth and Azure providers: an access token and a refresh token the
 * server issues, the client secret, and the CI token itself are unique strings that must appear in no exception
 * (message, cause chain, stack trace text) and in no {@code toString} of what the providers hand back, whether the
 * exchange succeeds or fails, and even when the server repeats them in its error text.
 */
class OAuthCanaryTest {

    private final MockWebServer server = new MockWebServer();
    private final String accessCanary = "canary-" + UUID.randomUUID();
    private final String refreshCanary = "canary-" + UUID.randomUUID();
    private final String secretCanary = "canary-" + UUID.randomUUID();
    private final String ci = ciToken("repo:acme/app:ref:refs/heads/main", "https://as.example.test");
    private OkHttpClient http;

    enum Kind { TOKEN_EXCHANGE, JWT_BEARER, AZURE }

    static Stream<Kind> providers() {
        return Stream.of(Kind.values());
    }

    @BeforeEach
    void start() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
        http = HttpClients.create(HttpSettings.DEFAULT);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CredentialProvider provider(Kind kind) {
        Map<String, String> env = Map.of("CANARY_SECRET", secretCanary);
        return switch (kind) {
            case TOKEN_EXCHANGE -> new TokenExchangeProvider(http, Retries.immediate(2), env::get, Clock.systemUTC());
            case JWT_BEARER -> new JwtBearerProvider(http, Retries.immediate(2), env::get, Clock.systemUTC());
            case AZURE -> new AzureProvider(http, Retries.immediate(2), Clock.systemUTC());
        };
    }

    private Map<String, Object> parameters(Kind kind) {
        return kind == Kind.AZURE
                ? params("tenant-id", "72f988bf-86f1-41af-91ab-2d7cd011db47", "client-id",
                "11111111-2222-3333-4444-555555555555", "token-endpoint", server.url("/token").toString())
                : params("token-endpoint", server.url("/token").toString(), "revocation-endpoint",
                server.url("/revoke").toString(), "client-id", "c1", "client-secret-env", "CANARY_SECRET");
    }

    private EphemeralCredential exchange(Kind kind) {
        return provider(kind).exchange(request(ci, parameters(kind), Map.of()));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void successPathKeepsEverySecretOutOfToStrings(Kind kind) {
        server.enqueue(json(200, "{\"access_token\":\"" + accessCanary + "\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300,\"refresh_token\":\"" + refreshCanary + "\"}"));

        EphemeralCredential credential = exchange(kind);

        assertThat(credential.secrets()).contains(accessCanary);
        assertThat(credential.values()).as("the refresh token is never exported").noneMatch(v -> v.value().equals(refreshCanary));
        List<String> texts = new java.util.ArrayList<>(List.of(credential.toString(), credential.values().toString(),
                credential.facts().toString()));
        credential.revocations().forEach(r -> texts.add(r.toString()));
        texts.forEach(this::assertClean);
        if (kind != Kind.AZURE) {
            assertThat(credential.revocations()).hasSize(2);
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void malformedSuccessResponsesFailWithoutTheIssuedToken(Kind kind) {
        List<MockResponse> bad = List.of(
                json(200, "{\"access_token\":\"" + accessCanary + "\"}"),
                json(200, "{\"access_token\":\"" + accessCanary + "\",\"token_type\":\"Bearer\",\"expires_in\":\"soon\"}"),
                json(200, "{\"access_token\":\"" + accessCanary + "\",\"token_type\":\"Bearer\"," + "x".repeat(300_000) + "}"),
                json(200, "[\"" + accessCanary + "\"]"),
                json(201, "{\"access_token\":\"" + accessCanary + "\",\"token_type\":\"Bearer\"}"));
        for (MockResponse response : bad) {
            server.enqueue(response);
            assertCleanFailure(catchThrowable(() -> exchange(kind)));
        }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void errorTextThatEchoesOurSecretsIsCleaned(Kind kind) {
        // Azure is never given the client secret, so a server cannot echo it there.
        String sent = kind == Kind.AZURE ? "none" : secretCanary;
        server.enqueue(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"bad assertion " + ci
                + " for secret " + sent + "\",\"trace_id\":\"" + sent + "\"}"));
        Throwable thrown = catchThrowable(() -> exchange(kind));
        assertCleanFailure(thrown);
        assertThat(thrown.getMessage()).contains("****");

        for (int i = 0; i < 2; i++) {
            server.enqueue(new MockResponse.Builder().code(500).body(accessCanary + " " + ci).build());
        }
        assertCleanFailure(catchThrowable(() -> exchange(kind)));
    }

    @ParameterizedTest
    @MethodSource("providers")
    void revocationFailuresDoNotRepeatTheToken(Kind kind) {
        if (kind == Kind.AZURE) {
            assertCleanFailure(catchThrowable(() -> provider(kind).revoke(new Revocation("azure", "rfc7009",
                    Map.of("token", accessCanary)))));
            return;
        }
        String id = provider(kind).id();
        Revocation revocation = Rfc7009.revocation(id, server.url("/revoke"), accessCanary, "access_token",
                new ClientAuthentication(ClientAuthentication.Method.CLIENT_SECRET_BASIC, "c1", "CANARY_SECRET"));
        assertClean(revocation.toString());
        server.enqueue(json(400, "{\"error\":\"invalid_request\",\"error_description\":\"cannot revoke " + accessCanary
                + " with " + secretCanary + "\"}"));
        assertCleanFailure(catchThrowable(() -> provider(kind).revoke(revocation)));
        server.enqueue(json(401, "{\"error\":\"invalid_client\"}"));
        assertCleanFailure(catchThrowable(() -> provider(kind).revoke(revocation)));
    }

    private void assertCleanFailure(Throwable thrown) {
        assertThat(thrown).isInstanceOf(ProviderException.class);
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        assertClean(trace.toString());
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertClean(String.valueOf(t.getMessage()));
            assertClean(t.toString());
        }
    }

    private void assertClean(String text) {
        assertThat(text).doesNotContain(accessCanary).doesNotContain(refreshCanary).doesNotContain(secretCanary)
                .doesNotContain(ci).doesNotContain(ci.substring(ci.lastIndexOf('.') + 1));
    }
}
