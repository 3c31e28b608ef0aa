package io.github.ephemeralcredentials.core.provider.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * A Vault that speaks the HTTP API as HashiCorp documents it (developer.hashicorp.com/vault/api-docs: "JWT/OIDC auth
 * method (API)" login, "KV secrets engine - version 2 (API)" read secret version, "/sys/leases" revoke lease, "Token
 * auth method (API)" revoke-self and lookup-self; errors as {@code {"errors": [...]}}), and whose role checks
 * produce the error strings of Vault's JWT plugin (bound audiences, bound subject, bound claims, unknown role).
 * Vault cannot run here; this fake does not check signatures (Vault's own JWKS validation is not what we test).
 * Every issued token, secret value and lease id is a fresh {@code canary-<uuid>} so tests can prove none leaks.
 */
final class FakeVault extends Dispatcher {

    static final ObjectMapper JSON = new ObjectMapper();

    final String mountPrefix;
    String namespace;
    String role = "ci";
    List<String> boundAudiences = List.of("https://vault.example.com");
    String boundSubject;
    Map<String, String> boundClaims = new LinkedHashMap<>();
    long tokenTtl = 900;
    /** Paths the token's policies do not allow reading. */
    final Set<String> denied = ConcurrentHashMap.newKeySet();
    /** How many of the next calls answer 503 "Vault is sealed". */
    int sealedFor;
    /** An error string the next login failure should add (to test echo scrubbing). */
    String echo;

    final Map<String, Map<String, String>> kv = new ConcurrentHashMap<>();
    final Set<String> liveTokens = ConcurrentHashMap.newKeySet();
    final Set<String> liveLeases = ConcurrentHashMap.newKeySet();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    final List<String> issuedSecrets = new CopyOnWriteArrayList<>();
    /** Where issued secrets come from: a test may hand in the shared {@code SecretCanary}'s. */
    java.util.function.Supplier<String> secrets = FakeVault::canary;

    FakeVault(String mountPrefix) {
        this.mountPrefix = mountPrefix;
    }

    static String canary() {
        return "canary-" + UUID.randomUUID();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        if (sealedFor > 0) {
            sealedFor--;
            return errors(503, "Vault is sealed");
        }
        if (namespace != null && !namespace.equals(request.getHeaders().get("X-Vault-Namespace"))) {
            return errors(403, "permission denied");
        }
        String path = request.getUrl().encodedPath();
        if (!path.startsWith(mountPrefix + "/v1/")) {
            return errors(404, "no handler for route \"" + path + "\". route entry not found.");
        }
        path = path.substring((mountPrefix + "/v1/").length());
        String method = request.getMethod();
        try {
            if (method.equals("POST") && path.matches("auth/jwt/login")) {
                return login(JSON.readTree(request.getBody().utf8()));
            }
            if (method.equals("POST") && path.equals("auth/github-actions/login")) {
                return login(JSON.readTree(request.getBody().utf8()));
            }
            if (path.startsWith("auth/") && path.endsWith("/login")) {
                return errors(404, "no handler for route \"" + path + "\". route entry not found.");
            }
            String token = request.getHeaders().get("X-Vault-Token");
            if (token == null || !liveTokens.contains(token)) {
                return errors(403, "permission denied");
            }
            if (method.equals("GET") && path.equals("auth/token/lookup-self")) {
                return json(200, "{\"data\":{\"accessor\":\"acc\",\"policies\":[\"default\",\"ci-read\"],\"ttl\":800}}");
            }
            if (method.equals("POST") && path.equals("auth/token/revoke-self")) {
                liveTokens.remove(token);
                liveLeases.clear(); // a token's revocation revokes the leases it created
                return new MockResponse.Builder().code(204).build();
            }
            if (method.equals("PUT") && path.equals("sys/leases/revoke")) {
                JsonNode body = JSON.readTree(request.getBody().utf8());
                liveLeases.remove(body.path("lease_id").asText());
                return new MockResponse.Builder().code(204).build();
            }
            if (method.equals("GET") && denied.contains(path)) {
                return errors(403, "1 error occurred:\n\t* permission denied\n\n");
            }
            if (method.equals("GET") && path.startsWith("secret/data/")) {
                return kvRead(path.substring("secret/data/".length()));
            }
            if (method.equals("GET") && path.equals("database/creds/ro")) {
                return dynamic();
            }
            return errors(404, "");
        } catch (java.io.IOException | java.text.ParseException e) {
            return errors(400, "failed to parse JSON input: " + e.getMessage());
        }
    }

    private MockResponse login(JsonNode body) throws java.text.ParseException {
        List<String> names = new ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        if (!names.equals(List.of("role", "jwt"))) {
            return errors(400, "unexpected login body fields " + names);
        }
        if (!role.equals(body.path("role").asText())) {
            return errors(400, "role \"" + body.path("role").asText() + "\" could not be found");
        }
        String jwt = body.path("jwt").asText();
        if (echo != null) {
            return errors(400, echo + " " + jwt);
        }
        JWTClaimsSet claims = JWTParser.parse(jwt).getJWTClaimsSet();
        List<String> aud = claims.getAudience();
        if (boundAudiences.isEmpty() && !aud.isEmpty()) {
            return errors(400, "error validating claims: audience claim found in JWT but no audiences bound to the role");
        }
        if (!boundAudiences.isEmpty() && Collections.disjoint(boundAudiences, aud)) {
            return errors(400, "error validating token: invalid audience (aud) claim");
        }
        if (boundSubject != null && !boundSubject.equals(claims.getSubject())) {
            return errors(400, "error validating claims: sub claim does not match bound subject");
        }
        for (Map.Entry<String, String> bound : boundClaims.entrySet()) {
            Object actual = claims.getClaim(bound.getKey());
            if (actual == null) {
                return errors(400, "error validating claims: claim \"" + bound.getKey() + "\" is missing");
            }
            if (!bound.getValue().equals(actual)) {
                return errors(400, "error validating claims: claim \"" + bound.getKey()
                        + "\" does not match any associated bound claim values");
            }
        }
        String token = "hvs." + secrets.get();
        liveTokens.add(token);
        issuedSecrets.add(token);
        ObjectNode auth = JSON.createObjectNode();
        auth.put("client_token", token);
        auth.put("accessor", "0e9e354a-520f-df04-6867-ee81cae3d42d");
        auth.putArray("policies").add("default").add("ci-read");
        auth.putArray("token_policies").add("default").add("ci-read");
        auth.putObject("metadata").put("role", role);
        auth.put("lease_duration", tokenTtl);
        auth.put("renewable", true);
        auth.put("entity_id", "8a4a5b5e-0e2d-4f3a-9c1b-2a2d4e7f9b10");
        auth.put("token_type", "service");
        auth.put("orphan", true);
        auth.putNull("mfa_requirement");
        auth.put("num_uses", 0);
        return envelope("", 0, false, null, auth);
    }

    private MockResponse kvRead(String path) {
        Map<String, String> secret = kv.get(path);
        if (secret == null) {
            return errors(404, "");
        }
        ObjectNode data = JSON.createObjectNode();
        ObjectNode inner = data.putObject("data");
        secret.forEach(inner::put);
        ObjectNode metadata = data.putObject("metadata");
        metadata.put("created_time", "2026-11-20T10:00:00.000000Z");
        metadata.putNull("custom_metadata");
        metadata.put("deletion_time", "");
        metadata.put("destroyed", false);
        metadata.put("version", 3);
        return envelope("", 0, false, data, null);
    }

    private MockResponse dynamic() {
        String lease = "database/creds/ro/" + secrets.get();
        liveLeases.add(lease);
        ObjectNode data = JSON.createObjectNode();
        String user = "v-jwt-ro-" + secrets.get();
        String password = secrets.get();
        issuedSecrets.add(user);
        issuedSecrets.add(password);
        data.put("username", user);
        data.put("password", password);
        return envelope(lease, 3600, true, data, null);
    }

    private static MockResponse envelope(String leaseId, long leaseDuration, boolean renewable, JsonNode data, JsonNode auth) {
        ObjectNode body = JSON.createObjectNode();
        body.put("request_id", UUID.randomUUID().toString());
        body.put("lease_id", leaseId);
        body.put("renewable", renewable);
        body.put("lease_duration", leaseDuration);
        body.set("data", data);
        body.putNull("wrap_info");
        body.putNull("warnings");
        body.set("auth", auth);
        body.put("mount_type", auth == null ? "kv" : "");
        return json(200, body.toString());
    }

    static MockResponse errors(int code, String... messages) {
        ObjectNode body = JSON.createObjectNode();
        var array = body.putArray("errors");
        for (String m : messages) {
            if (!m.isEmpty()) {
                array.add(m);
            }
        }
        return json(code, body.toString());
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .setHeader("Cache-Control", "no-store").body(body).build();
    }
}
