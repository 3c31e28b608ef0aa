package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.provider.broker.AnswerDocument;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.exchange.CredentialRequest;
import io.github.ephemeralcredentials.core.exchange.Exchange;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.exchange.Plan;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.JwksCache;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.core.oidc.OidcException;
import io.github.ephemeralcredentials.core.oidc.TrustedIssuers;
import io.github.ephemeralcredentials.core.oidc.VerifiedClaims;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.core.provider.github.FakeGitHub;
import io.github.ephemeralcredentials.core.provider.oauth.OAuthWire;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Set;
import java.util.function.Function;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;

/**
 * A stand-in for the token-exchange service ({@code ephemeral-credentials serve}) on loopback, as far as its client
 * sees it: {@code POST /token} verifies the CI token (issuer trusted, {@code aud} = the service's URL) and runs the
 * profile named by {@code audience} through the core's {@link Exchange} on the verified claims with real providers,
 * answering in the service's wire format; {@code POST /revoke} answers 200, as RFC 7009 says, and records the token.
 * The service's own trust policy is not modelled here: it is the service's, and tested there.
 */
final class ServiceStandIn extends Dispatcher implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The GitHub App behind the service's {@code release} profile (see {@link #standard}). */
    static final long APP_ID = 424242;

    /** One profile of the service: a provider with its parameters and scope. */
    record Profile(String provider, Map<String, Object> parameters, Map<String, Object> scope) {
    }

    private final MockWebServer server = new MockWebServer();
    private final TrustedIssuers verifier;
    private final Map<String, CredentialProvider> providers;
    private final Map<String, Profile> profiles = new ConcurrentHashMap<>();
    private final List<AutoCloseable> peers = new ArrayList<>();
    /** The GitHub the service's App talks to, when {@link #standard} set one up. */
    FakeGitHub github;
    final List<Map<String, List<String>>> tokenForms = Collections.synchronizedList(new ArrayList<>());
    final List<String> revoked = Collections.synchronizedList(new ArrayList<>());
    final List<EphemeralCredential> issued = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param ciIssuer  the CI issuer the service trusts
     * @param providers the service's providers, with the keys and signer only it holds
     */
    ServiceStandIn(String ciIssuer, Map<String, CredentialProvider> providers) throws IOException {
        this(ciIssuer, signer -> providers);
    }

    /** @param providers the service's providers, given the service's own signer (issuer: its URL) */
    ServiceStandIn(String ciIssuer, Function<TokenIssuer, Map<String, CredentialProvider>> providers)
            throws IOException {
        this.verifier = new TrustedIssuers(List.of(ciIssuer), new JwksCache(new OkHttpClient(),
                JwksCache.Settings.DEFAULT, Clock.systemUTC()), Clock.systemUTC());
        server.setDispatcher(this);
        server.start(InetAddress.getLoopbackAddress(), 0);
        KeyRing keys = KeyRing.generate(SigningAlgorithm.ES256, Instant.now());
        this.providers = providers.apply(new TokenIssuer(url(), () -> keys, Clock.systemUTC()));
    }

    /**
     * The service as it is meant to run, with its own keys: profile {@code release} issues GitHub App installation
     * tokens (the App's key is the service's; its GitHub is a {@link FakeGitHub} held to GitHub's OpenAPI
     * description) for {@link RunnerEmulation#OWNER}'s repository, and profile {@code internal-jwt} a JWT the service
     * signs itself.
     */
    static ServiceStandIn standard(String ciIssuer) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair app = generator.generateKeyPair();
        Map<String, String> secrets = Map.of("GITHUB_APP_KEY", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(app.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        FakeGitHub github = new FakeGitHub(APP_ID, (RSAPublicKey) app.getPublic());
        github.installations.put(RunnerEmulation.OWNER, new FakeGitHub.Installation(7001, RunnerEmulation.OWNER,
                Map.of("contents", "write", "metadata", "read"), false, Set.of("octo-repo")));
        MockWebServer githubServer = new MockWebServer();
        githubServer.setDispatcher(github);
        githubServer.start(InetAddress.getLoopbackAddress(), 0);

        OkHttpClient http = HttpClients.create(HttpSettings.DEFAULT);
        CredentialsFileHost files = CredentialsFileHost.privateIn(Files.createTempDirectory("service"));
        ServiceStandIn service = new ServiceStandIn(ciIssuer, signer -> Providers.standard(http, Retries.immediate(1),
                secrets::get, files, Clock.systemUTC(), signer));
        service.github = github;
        service.peers.add(githubServer);
        service.profile("release", "github-app", Map.of("app-id", String.valueOf(APP_ID), "private-key-env",
                "GITHUB_APP_KEY", "owner", RunnerEmulation.OWNER, "api-url", "http://127.0.0.1:"
                + githubServer.getPort() + "/api/v3"), Map.of("repositories", List.of("octo-repo"),
                "permissions", Map.of("contents", "write")));
        service.profile("internal-jwt", "jwt", Map.of("audience", "https://deploy.internal.example.com",
                "claims", List.of("repository", "ref")), Map.of("scopes", List.of("deploy")));
        return service;
    }

    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    ServiceStandIn profile(String name, String provider, Map<String, Object> parameters, Map<String, Object> scope) {
        profiles.put(name, new Profile(provider, parameters, scope));
        return this;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        Map<String, List<String>> form = request.getBody() == null ? Map.of() : OAuthWire.form(request);
        return switch (request.getMethod() + " " + request.getUrl().encodedPath()) {
            case "POST /token" -> token(form);
            case "POST /revoke" -> {
                revoked.add(form.getOrDefault("token", List.of("")).get(0));
                yield new MockResponse.Builder().code(200).build();
            }
            default -> new MockResponse.Builder().code(404).build();
        };
    }

    private MockResponse token(Map<String, List<String>> form) {
        tokenForms.add(form);
        if (!List.of("urn:ietf:params:oauth:grant-type:token-exchange").equals(form.get("grant_type"))) {
            return error(400, "unsupported_grant_type", "only token exchange");
        }
        VerifiedClaims claims;
        String ciToken = form.getOrDefault("subject_token", List.of("")).get(0);
        try {
            claims = verifier.verify(ciToken, url());
        } catch (OidcException e) {
            return error(400, "invalid_grant", "the subject token was refused: " + e.reason());
        }
        Profile profile = profiles.get(form.getOrDefault("audience", List.of("")).get(0));
        if (profile == null) {
            return error(400, "invalid_target", "no such profile");
        }
        Plan plan = Exchange.plan(CredentialRequest.direct(profile.provider(), profile.parameters(), profile.scope())
                .withLifetime(Duration.ofMinutes(15)), null);
        ExchangeOutcome outcome = new Exchange(providers, List.of(), Clock.systemUTC()).run(plan, claims, () -> ciToken);
        if (!(outcome instanceof ExchangeOutcome.Issued ok)) {
            return error(403, "access_denied", outcome.audit().detail());
        }
        issued.add(ok.credential());
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .setHeader("Cache-Control", "no-store").body(answer(ok.credential())).build();
    }

    /** The service's wire format, as the core's broker package defines it. */
    static String answer(EphemeralCredential credential) {
        try {
            return JSON.writeValueAsString(AnswerDocument.of(credential, Instant.now()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse error(int code, String error, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        try {
            return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                    .body(JSON.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        for (AutoCloseable peer : peers) {
            try {
                peer.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
