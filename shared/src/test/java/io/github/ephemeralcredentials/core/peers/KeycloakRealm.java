package io.github.ephemeralcredentials.core.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One Keycloak realm configured through the admin REST API for the three flows our providers use, trusting the
 * CI issuer:
 * <ul>
 *   <li>RFC 7523: identity provider {@code ci-jwt} ({@code jwt-authorization-grant}, assertion reuse refused), client
 *       {@link #BEARER_CLIENT} allowed to use it, a user linked to {@link #CI_SUBJECT};</li>
 *   <li>Azure-style client assertion: identity provider {@code ci-oidc} ({@code oidc}, client assertions on), client
 *       {@link #federatedClient()} (a GUID, as Entra client ids are) authenticated by {@code federated-jwt} for
 *       {@link #CI_SUBJECT};</li>
 *   <li>RFC 8693: client {@link #EXCHANGE_CLIENT} permitted to exchange tokens of {@code ci-oidc} (fine-grained
 *       permissions v1).</li>
 * </ul>
 * The realm name is unique per JVM, so a kept database never clashes with an earlier run's CI issuer.
 */
public final class KeycloakRealm {

    public static final String CI_SUBJECT = "repo:acme/app:ref:refs/heads/main";
    public static final String BEARER_CLIENT = "ci-bearer";
    public static final String BEARER_SECRET = "bearer-secret-" + UUID.randomUUID();
    public static final String EXCHANGE_CLIENT = "ci-exchanger";
    public static final String EXCHANGE_SECRET = "exchanger-secret-" + UUID.randomUUID();
    public static final String AZURE_SCOPE = "https://management.azure.com/.default";

    /** HTTP settings for talking to this peer: patient, because the machine is shared and Keycloak is heavy. */
    public static final HttpSettings PATIENT =
            new HttpSettings(Duration.ofSeconds(10), Duration.ofSeconds(90), Duration.ofMinutes(3));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final String base;
    private final String name;
    private final String federatedClient;
    private final IssuerServer ci;
    private final OkHttpClient http;

    private KeycloakRealm(String base, String name, String federatedClient, IssuerServer ci, OkHttpClient http) {
        this.base = base;
        this.name = name;
        this.federatedClient = federatedClient;
        this.ci = ci;
        this.http = http;
    }

    public String issuer() {
        return base + "/realms/" + name;
    }

    public String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    public String federatedClient() {
        return federatedClient;
    }

    /** A CI token from the issuer Keycloak trusts. */
    public String mint(String subject, String audience) {
        return ci.issuer().mint(subject, List.of(audience), Duration.ofMinutes(5), Map.of("repository", "acme/app"));
    }

    /** A CI token signed by the trusted key whose validity ended two minutes ago. */
    public String mintExpired(String subject, String audience) {
        TokenIssuer past = new TokenIssuer(ci.url(), ci::keys, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-7)));
        return past.mint(subject, List.of(audience), Duration.ofMinutes(5), Map.of());
    }

    /** RFC 7662 introspection as {@code client}: whether Keycloak still considers the token active. */
    public boolean active(String token, String client, String secret) throws IOException {
        return introspect(new Request.Builder().header("Authorization", Credentials.basic(client, secret)),
                new FormBody.Builder().add("token", token));
    }

    /**
     * Introspection as the federated client, authenticated by a fresh CI token: Keycloak answers only to a client in
     * the token's audience.
     */
    public boolean activeForFederatedClient(String token) throws IOException {
        return introspect(new Request.Builder(), new FormBody.Builder().add("token", token)
                .add("client_id", federatedClient)
                .add("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .add("client_assertion", mint(CI_SUBJECT, issuer())));
    }

    private boolean introspect(Request.Builder request, FormBody.Builder form) throws IOException {
        request.url(tokenEndpoint() + "/introspect").post(form.build());
        try (Response response = http.newCall(request.build()).execute()) {
            if (response.code() != 200) {
                throw new IOException("introspection answered HTTP " + response.code());
            }
            return JSON.readTree(response.body().string()).path("active").asBoolean(false);
        }
    }

    static KeycloakRealm configure(String base, IssuerServer ci) throws IOException {
        // Generous: on a loaded 2-core machine Keycloak's first realm creation has taken more than 10 s.
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(PATIENT.readTimeout())
                .callTimeout(PATIENT.callTimeout()).build();
        String name = "ci-" + UUID.randomUUID().toString().substring(0, 8);
        String federated = UUID.randomUUID().toString();
        Admin admin = new Admin(base, http);
        String issuer = ci.url();
        String jwks = ci.issuer().jwksUri();

        admin.call("POST", "", Map.of("realm", name, "enabled", true, "sslRequired", "none", "accessTokenLifespan", 300));
        String realm = "/" + name;
        admin.call("POST", realm + "/identity-provider/instances", Map.of("alias", "ci-jwt",
                "providerId", "jwt-authorization-grant", "enabled", true, "config", Map.of("issuer", issuer,
                        "useJwksUrl", "true", "jwksUrl", jwks, "jwtAuthorizationGrantEnabled", "true",
                        "jwtAuthorizationGrantAssertionReuseAllowed", "false",
                        "jwtAuthorizationGrantMaxAllowedAssertionExpiration", "300")));
        admin.call("POST", realm + "/identity-provider/instances", Map.of("alias", "ci-oidc", "providerId", "oidc",
                "enabled", true, "config", Map.of("issuer", issuer, "useJwksUrl", "true", "jwksUrl", jwks,
                        "validateSignature", "true", "supportsClientAssertions", "true",
                        // CI tokens carry no 'typ' claim.
                        "disableTypeClaimCheck", "true")));
        // An optional client scope with Entra's '.default' name, so the Azure provider's scope is known here.
        admin.call("POST", realm + "/client-scopes", Map.of("name", AZURE_SCOPE, "protocol", "openid-connect",
                "attributes", Map.of("include.in.token.scope", "true")));
        admin.call("POST", realm + "/clients", client(BEARER_CLIENT, Map.of("clientAuthenticatorType", "client-secret",
                "secret", BEARER_SECRET, "attributes", Map.of("oauth2.jwt.authorization.grant.enabled", "true",
                        "oauth2.jwt.authorization.grant.idp", "ci-jwt"))));
        admin.call("POST", realm + "/clients", client(federated, Map.of("clientAuthenticatorType", "federated-jwt",
                "serviceAccountsEnabled", true, "optionalClientScopes", List.of(AZURE_SCOPE),
                "attributes", Map.of("jwt.credential.issuer", "ci-oidc", "jwt.credential.sub", CI_SUBJECT))));
        admin.call("POST", realm + "/clients", client(EXCHANGE_CLIENT, Map.of("clientAuthenticatorType", "client-secret",
                "secret", EXCHANGE_SECRET)));

        admin.call("POST", realm + "/users", Map.of("username", "ci-acme-app", "enabled", true));
        String userId = admin.call("GET", realm + "/users?username=ci-acme-app&exact=true", null).get(0).path("id").asText();
        for (String idp : List.of("ci-jwt", "ci-oidc")) {
            admin.call("POST", realm + "/users/" + userId + "/federated-identity/" + idp,
                    Map.of("identityProvider", idp, "userId", CI_SUBJECT, "userName", CI_SUBJECT));
        }

        // RFC 8693 external-to-internal exchange: ci-exchanger may exchange tokens from ci-oidc.
        String permission = admin.call("PUT", realm + "/identity-provider/instances/ci-oidc/management/permissions",
                Map.of("enabled", true)).path("scopePermissions").path("token-exchange").asText();
        String managementId = admin.call("GET", realm + "/clients?clientId=realm-management", null).get(0).path("id").asText();
        String exchangerId = admin.call("GET", realm + "/clients?clientId=" + EXCHANGE_CLIENT, null).get(0).path("id").asText();
        String authz = realm + "/clients/" + managementId + "/authz/resource-server";
        String policy = admin.call("POST", authz + "/policy/client", Map.of("name", "ci-exchanger-may-exchange",
                "logic", "POSITIVE", "decisionStrategy", "UNANIMOUS", "clients", List.of(exchangerId))).path("id").asText();
        String permissionName = admin.call("GET", authz + "/permission/scope/" + permission, null).path("name").asText();
        admin.call("PUT", authz + "/permission/scope/" + permission, Map.of("id", permission, "name", permissionName,
                "type", "scope", "logic", "POSITIVE", "decisionStrategy", "UNANIMOUS", "policies", List.of(policy)));
        return new KeycloakRealm(base, name, federated, ci, http);
    }

    private static Map<String, Object> client(String clientId, Map<String, Object> extra) {
        Map<String, Object> client = new java.util.LinkedHashMap<>(Map.of("clientId", clientId, "enabled", true,
                "publicClient", false, "standardFlowEnabled", false, "directAccessGrantsEnabled", false,
                "serviceAccountsEnabled", false, "protocolMappers", List.of(Map.of("name", "audience-self",
                        "protocol", "openid-connect", "protocolMapper", "oidc-audience-mapper",
                        "config", Map.of("included.client.audience", clientId, "access.token.claim", "true",
                                "id.token.claim", "false", "introspection.token.claim", "true")))));
        client.putAll(extra);
        return client;
    }

    /** The admin REST API with a fresh master-realm token per call (they live 60 s). */
    private record Admin(String base, OkHttpClient http) {

        JsonNode call(String method, String path, Object body) throws IOException {
            Request.Builder request = new Request.Builder().url(base + "/admin/realms" + path)
                    .header("Authorization", "Bearer " + token());
            request.method(method, body == null ? null : RequestBody.create(JSON.writeValueAsString(body), JSON_TYPE));
            try (Response response = http.newCall(request.build()).execute()) {
                String text = response.body().string();
                if (!response.isSuccessful()) {
                    throw new IOException("admin " + method + " " + path + " answered HTTP " + response.code() + ": " + text);
                }
                return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
            }
        }

        private String token() throws IOException {
            Request request = new Request.Builder().url(base + "/realms/master/protocol/openid-connect/token")
                    .post(new FormBody.Builder().add("grant_type", "password").add("client_id", "admin-cli")
                            .add("username", "admin").add("password", "admin").build()).build();
            try (Response response = http.newCall(request).execute()) {
                if (!response.isSuccessful()) {
                    throw new IOException("admin token request answered HTTP " + response.code());
                }
                return JSON.readTree(response.body().string()).path("access_token").asText();
            }
        }
    }
}
