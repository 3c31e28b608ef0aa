package io.github.ephemeralcredentials.core.provider.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
 * A GitHub (Enterprise Server layout, under {@code /api/v3}) that serves the App endpoints the provider uses and
 * holds every request it receives and every response it sends to GitHub's published OpenAPI description
 * ({@link GitHubOpenApi}): an undocumented call, a body that violates the request schema, or an answer of ours that
 * violates the response schema is recorded in {@link #violations} (tests assert there are none). App JWTs are
 * verified like GitHub does: RS256 with the App's public key, {@code iss} = App ID, {@code iat} not in the future,
 * {@code exp} at most ten minutes ahead. Installation tokens are fresh {@code canary-<uuid>} values.
 */
public final class FakeGitHub extends Dispatcher {

    static final String PREFIX = "/api/v3";

    public record Installation(long id, String owner, Map<String, String> permissions, boolean allRepositories,
                        Set<String> repositories) {
    }

    final GitHubOpenApi api = new GitHubOpenApi();
    final long appId;
    final RSAPublicKey appKey;
    public final Map<String, Installation> installations = new ConcurrentHashMap<>();
    final Map<String, Installation> liveTokens = new ConcurrentHashMap<>();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    public final List<String> violations = new CopyOnWriteArrayList<>();
    final List<String> issued = new CopyOnWriteArrayList<>();
    int unavailableFor;
    /** Where installation tokens come from: a test may hand in the shared {@code SecretCanary}'s. */
    java.util.function.Supplier<String> secrets = () -> "canary-" + UUID.randomUUID();

    /** Whether an installation token it issued is still valid (not revoked). */
    public boolean live(String token) {
        return liveTokens.containsKey(token);
    }

    /** How many installation tokens it issued are still valid. */
    public int liveCount() {
        return liveTokens.size();
    }

    public FakeGitHub(long appId, RSAPublicKey appKey) {
        this.appId = appId;
        this.appKey = appKey;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        String path = request.getUrl().encodedPath();
        String method = request.getMethod();
        if (!path.startsWith(PREFIX + "/")) {
            violations.add(method + " " + path + ": outside the API base " + PREFIX);
            return raw(404, "");
        }
        path = path.substring(PREFIX.length());
        String operation = api.operation(method, path).orElse(null);
        if (operation == null) {
            violations.add(method + " " + path + ": not an operation of the excerpt (undocumented or unexpected call)");
            return raw(404, "");
        }
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        violations.addAll(api.checkRequest(operation, body));
        if (!body.isEmpty() && !String.valueOf(request.getHeaders().get("Content-Type")).startsWith("application/json")) {
            violations.add(operation + ": body sent as " + request.getHeaders().get("Content-Type"));
        }
        Answer answer = answer(operation, path, request.getHeaders().get("Authorization"), body);
        violations.addAll(api.checkResponse(operation, answer.status, answer.body));
        return raw(answer.status, answer.body);
    }

    private record Answer(int status, String body) {
    }

    private Answer answer(String operation, String path, String authorization, String body) {
        if (unavailableFor > 0) {
            unavailableFor--;
            return error(503, "Service Unavailable", operation);
        }
        if (operation.equals("DELETE /installation/token")) {
            String token = authorization == null ? null : authorization.replaceFirst("^(Bearer|token) ", "");
            if (token == null || liveTokens.remove(token) == null) {
                return error(401, "Bad credentials", operation);
            }
            return new Answer(204, "");
        }
        String jwtProblem = checkAppJwt(authorization);
        if (jwtProblem != null) {
            return error(401, jwtProblem, operation);
        }
        String[] segments = path.split("/");
        switch (operation) {
            case "GET /app":
                return new Answer(200, app().toString());
            case "GET /repos/{owner}/{repo}/installation": {
                Installation installation = installations.get(segments[2]);
                if (installation == null || !(installation.allRepositories() || installation.repositories().contains(segments[3]))) {
                    return error(404, "Not Found", operation);
                }
                return new Answer(200, installation(installation).toString());
            }
            case "GET /orgs/{org}/installation": {
                Installation installation = installations.get(segments[2]);
                if (installation == null) {
                    return error(404, "Not Found", operation);
                }
                return new Answer(200, installation(installation).toString());
            }
            case "POST /app/installations/{installation_id}/access_tokens":
                return createToken(Long.parseLong(segments[3]), body, operation);
            default:
                return error(404, "Not Found", operation);
        }
    }

    private Answer createToken(long id, String body, String operation) {
        Installation installation = installations.values().stream().filter(i -> i.id() == id).findFirst().orElse(null);
        if (installation == null) {
            return error(404, "Not Found", operation);
        }
        JsonNode request;
        try {
            request = body.isEmpty() ? GitHubOpenApi.JSON.createObjectNode() : GitHubOpenApi.JSON.readTree(body);
        } catch (java.io.IOException e) {
            return error(400, "Problems parsing JSON", operation);
        }
        Map<String, String> granted = new LinkedHashMap<>(installation.permissions());
        if (request.has("permissions")) {
            granted.clear();
            for (var it = request.get("permissions").fields(); it.hasNext(); ) {
                var p = it.next();
                String has = installation.permissions().get(p.getKey());
                if (has == null || (has.equals("read") && !p.getValue().asText().equals("read"))) {
                    return validation("The permissions requested are not granted to this installation.", operation);
                }
                granted.put(p.getKey(), p.getValue().asText());
            }
        }
        List<String> repositories = new ArrayList<>();
        request.path("repositories").forEach(r -> repositories.add(r.asText()));
        for (String repo : repositories) {
            if (!installation.allRepositories() && !installation.repositories().contains(repo)) {
                return validation("There is at least one repository that does not exist or is not accessible to the "
                        + "parent installation.", operation);
            }
        }
        String token = secrets.get();
        issued.add(token);
        liveTokens.put(token, installation);
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("token", text(token));
        fields.put("expires_at", text(Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString()));
        ObjectNode out = (ObjectNode) GitHubOpenApi.instance(api.responseSchema(operation, 201), fields);
        out.set("permissions", GitHubOpenApi.JSON.valueToTree(granted));
        out.put("repository_selection", repositories.isEmpty() && installation.allRepositories() ? "all" : "selected");
        if (!repositories.isEmpty()) {
            JsonNode repoSchema = api.responseSchema(operation, 201).path("properties").path("repositories").path("items");
            var list = out.putArray("repositories");
            for (String repo : repositories) {
                Map<String, JsonNode> r = new LinkedHashMap<>();
                r.put("name", text(repo));
                r.put("full_name", text(installation.owner() + "/" + repo));
                r.put("id", GitHubOpenApi.JSON.getNodeFactory().numberNode(Math.abs(repo.hashCode())));
                r.put("owner", account(installation.owner()));
                list.add(GitHubOpenApi.instance(repoSchema, r));
            }
        }
        return new Answer(201, out.toString());
    }

    /** GitHub's checks of an App JWT; null when it passes. */
    private String checkAppJwt(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return "A JSON web token could not be decoded";
        }
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring("Bearer ".length()));
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(new RSASSAVerifier(appKey))) {
                return "A JSON web token could not be decoded";
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = Instant.now();
            if (!String.valueOf(appId).equals(claims.getIssuer())) {
                return "'Issuer' claim ('iss') must be an Integer";
            }
            if (claims.getIssueTime() == null || claims.getIssueTime().toInstant().isAfter(now)) {
                return "'Issued at' claim ('iat') must be an Integer representing a time in the past";
            }
            if (claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().isAfter(now.plusSeconds(600))) {
                return "'Expiration time' claim ('exp') is too far in the future";
            }
            if (claims.getExpirationTime().toInstant().isBefore(now)) {
                return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
            }
            return null;
        } catch (java.text.ParseException | com.nimbusds.jose.JOSEException e) {
            return "A JSON web token could not be decoded";
        }
    }

    private JsonNode app() {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("id", GitHubOpenApi.JSON.getNodeFactory().numberNode(appId));
        fields.put("slug", text("ec-ci"));
        fields.put("name", text("Ephemeral Credentials CI"));
        fields.put("owner", account("acme"));
        fields.put("permissions", GitHubOpenApi.JSON.valueToTree(Map.of("contents", "write", "metadata", "read")));
        fields.put("events", GitHubOpenApi.array());
        ObjectNode out = (ObjectNode) GitHubOpenApi.instance(api.responseSchema("GET /app", 200), fields);
        out.put("slug", "ec-ci"); // optional in the schema, read by the provider
        return out;
    }

    private JsonNode installation(Installation installation) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("id", GitHubOpenApi.JSON.getNodeFactory().numberNode(installation.id()));
        fields.put("app_id", GitHubOpenApi.JSON.getNodeFactory().numberNode(appId));
        fields.put("app_slug", text("ec-ci"));
        fields.put("target_type", text("Organization"));
        fields.put("repository_selection", text(installation.allRepositories() ? "all" : "selected"));
        fields.put("account", account(installation.owner()));
        fields.put("permissions", GitHubOpenApi.JSON.valueToTree(installation.permissions()));
        fields.put("access_tokens_url", text("https://api.github.com/app/installations/" + installation.id() + "/access_tokens"));
        fields.put("events", GitHubOpenApi.array());
        return GitHubOpenApi.instance(api.responseSchema("GET /repos/{owner}/{repo}/installation", 200), fields);
    }

    private JsonNode account(String login) {
        JsonNode userSchema = api.responseSchema("GET /repos/{owner}/{repo}/installation", 200)
                .path("properties").path("account");
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("login", text(login));
        fields.put("type", text("Organization"));
        return GitHubOpenApi.instance(userSchema, fields);
    }

    private Answer error(int status, String message, String operation) {
        ObjectNode body = GitHubOpenApi.JSON.createObjectNode().put("message", message)
                .put("documentation_url", "https://docs.github.com/rest").put("status", String.valueOf(status));
        return new Answer(status, body.toString());
    }

    private Answer validation(String message, String operation) {
        ObjectNode body = GitHubOpenApi.JSON.createObjectNode().put("message", message)
                .put("documentation_url", "https://docs.github.com/rest/apps/apps#create-an-installation-access-token-for-an-app")
                .put("status", "422");
        return new Answer(422, body.toString());
    }

    private static JsonNode text(String value) {
        return GitHubOpenApi.JSON.getNodeFactory().textNode(value);
    }

    private static MockResponse raw(int status, String body) {
        MockResponse.Builder response = new MockResponse.Builder().code(status)
                .setHeader("X-GitHub-Api-Version-Selected", GitHubAppProvider.API_VERSION);
        if (!body.isEmpty()) {
            response.setHeader("Content-Type", "application/json; charset=utf-8").body(body);
        }
        return response.build();
    }
}
