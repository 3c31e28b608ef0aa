package io.github.ephemeralcredentials.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.oidc.JwksCache;
import io.github.ephemeralcredentials.core.oidc.OidcException;
import io.github.ephemeralcredentials.core.oidc.TrustedIssuers;
import io.github.ephemeralcredentials.core.oidc.VerifiedClaims;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.eclipse.jetty.http.HttpHeader;

/**
 * An internal deploy API that trusts the token-exchange service: it verifies the service's JWT offline against the
 * service's JWKS (signature, {@code iss}, its own {@code aud}, expiry), then asks the service's {@code /introspect}
 * whether it was revoked, so a revoked JWT is refused before its {@code exp}.
 */
final class RelyingParty implements AutoCloseable {

    static final String CLIENT_ID = "deploy-api";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Loopback server;
    private final String serviceUrl;
    private final String clientSecret;
    private final OkHttpClient http;
    private volatile TrustedIssuers service;

    private RelyingParty(Loopback server, String serviceUrl, String clientSecret, OkHttpClient http) {
        this.server = server;
        this.serviceUrl = serviceUrl;
        this.clientSecret = clientSecret;
        this.http = http;
    }

    /**
     * @param serviceUrl   the token-exchange service it trusts (its {@code iss})
     * @param clientSecret its introspection secret, as the service's configuration names it
     */
    static RelyingParty start(String serviceUrl, String clientSecret, OkHttpClient http, Clock clock) throws Exception {
        RelyingParty[] self = new RelyingParty[1];
        Loopback server = Loopback.start("relying-party", (path, request) -> self[0].answer(path,
                request.getHeaders().get(HttpHeader.AUTHORIZATION)));
        self[0] = new RelyingParty(server, serviceUrl, clientSecret, http);
        self[0].service = new TrustedIssuers(List.of(serviceUrl), new JwksCache(http, JwksCache.Settings.DEFAULT,
                clock), clock);
        return self[0];
    }

    /** Its own URL: the {@code aud} it accepts. */
    String url() {
        return server.url();
    }

    private Loopback.Reply answer(String path, String authorization) {
        if (!path.equals("/deploy")) {
            return Loopback.Reply.json(404, "{\"error\":\"not_found\"}");
        }
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return refused("no bearer token");
        }
        String token = authorization.substring("Bearer ".length());
        VerifiedClaims claims;
        try {
            claims = service.verify(token, url());
        } catch (OidcException e) {
            return refused("the token does not verify against the service's JWKS (" + e.reason() + ")");
        }
        try {
            if (!active(token)) {
                return refused("the service says the token is no longer active (revoked)");
            }
        } catch (IOException e) {
            return refused("the service's /introspect did not answer; refusing rather than trusting a maybe-revoked "
                    + "token");
        }
        String repository = claims.string("repository").orElse("?");
        String ref = claims.string("ref").orElse("?");
        return json(200, Map.of("deployed", repository + "@" + ref, "for", claims.subject()), null);
    }

    private boolean active(String token) throws IOException {
        Request request = new Request.Builder().url(serviceUrl + "/introspect")
                .header("Authorization", Credentials.basic(CLIENT_ID, clientSecret))
                .post(new FormBody.Builder().add("token", token).build()).build();
        try (Response response = http.newCall(request).execute()) {
            if (response.code() != 200) {
                throw new IOException("introspection answered " + response.code());
            }
            JsonNode body = JSON.readTree(response.body().string());
            return body.path("active").asBoolean(false);
        }
    }

    private static Loopback.Reply refused(String why) {
        return json(401, Map.of("error", "invalid_token", "error_description", why), "Bearer error=\"invalid_token\"");
    }

    private static Loopback.Reply json(int status, Map<String, String> body, String challenge) {
        try {
            return new Loopback.Reply(status, "application/json", JSON.writeValueAsString(new java.util.TreeMap<>(body)),
                    challenge);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the deploy API could not write its answer", e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
