package io.github.ephemeralcredentials.core.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Google's Security Token Service and IAM Service Account Credentials API as their REST references describe them
 * (cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token: JSON request {@code audience, grantType,
 * requestedTokenType, scope, subjectTokenType, subjectToken}, response {@code access_token, issued_token_type,
 * token_type, expires_in}, OAuth-style errors; cloud.google.com/iam/docs/reference/credentials/rest/v1/
 * projects.serviceAccounts/generateAccessToken: {@code delegates, scope, lifetime} with a Bearer token, response
 * {@code accessToken, expireTime}, errors in Google's {@code {"error": {"code", "message", "status"}}} shape).
 * Google cannot run here; this fake applies a pool provider's audience check and attribute condition and an IAM
 * binding, with the error texts Google returns for them, and does not verify signatures. Every token it issues is a
 * fresh {@code canary-<uuid>}. Public so the action's tests drive a real GCP exchange through their runner too.
 */
public final class FakeGoogle extends Dispatcher {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String PROVIDER = "projects/123456789012/locations/global/workloadIdentityPools/ci-pool/providers/github";
    public static final String SA = "deployer@my-project.iam.gserviceaccount.com";

    List<String> allowedAudiences = List.of("https://iam.googleapis.com/" + PROVIDER);
    Predicate<JWTClaimsSet> attributeCondition = c -> true;
    /** Service account → principals holding roles/iam.workloadIdentityUser on it. */
    public final Map<String, Set<String>> workloadIdentityUsers = new ConcurrentHashMap<>();
    int failures;
    int failureStatus = 503;
    boolean echoTokens;

    public final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    final Map<String, String> federatedTokens = new ConcurrentHashMap<>(); // token -> principal
    public final List<String> issued = new CopyOnWriteArrayList<>();
    /** Where issued tokens come from: a test may hand in the shared {@code SecretCanary}'s. */
    java.util.function.Supplier<String> secrets = FakeGoogle::canary;

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        if (failures > 0) {
            failures--;
            return failureStatus == 429
                    ? iamError(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Generate credentials requests'.")
                    : iamError(503, "UNAVAILABLE", "The service is currently unavailable.");
        }
        String path = request.getUrl().encodedPath();
        try {
            JsonNode body = JSON.readTree(request.getBody().utf8());
            if (request.getMethod().equals("POST") && path.equals("/v1/token")) {
                return sts(body);
            }
            String prefix = "/v1/projects/-/serviceAccounts/";
            if (request.getMethod().equals("POST") && path.startsWith(prefix) && path.endsWith(":generateAccessToken")) {
                String sa = path.substring(prefix.length(), path.length() - ":generateAccessToken".length());
                return generateAccessToken(sa, request.getHeaders().get("Authorization"), body);
            }
            return iamError(404, "NOT_FOUND", "Requested entity was not found.");
        } catch (java.io.IOException | java.text.ParseException e) {
            return stsError("invalid_request", "Invalid JSON payload received. " + e.getMessage());
        }
    }

    private MockResponse sts(JsonNode body) throws java.text.ParseException {
        if (!("//iam.googleapis.com/" + PROVIDER).equals(body.path("audience").asText())) {
            return stsError("invalid_target", "The target service indicated by the \"audience\" parameters is invalid. "
                    + "This might either be because the pool or provider is disabled or deleted or because it doesn't exist.");
        }
        String subjectToken = body.path("subjectToken").asText();
        JWTClaimsSet claims = JWTParser.parse(subjectToken).getJWTClaimsSet();
        String aud = claims.getAudience().isEmpty() ? "" : claims.getAudience().get(0);
        if (!allowedAudiences.contains(aud)) {
            return stsError("invalid_grant", "The audience in ID Token [" + aud + "] does not match the expected audience "
                    + allowedAudiences.get(0) + "." + (echoTokens ? " Token: " + subjectToken : ""));
        }
        if (!attributeCondition.test(claims)) {
            return stsError("unauthorized_client", "The given credential is rejected by the attribute condition.");
        }
        String token = "ya29.d." + secrets.get();
        issued.add(token);
        federatedTokens.put(token, "principal://iam.googleapis.com/projects/123456789012/locations/global/"
                + "workloadIdentityPools/ci-pool/subject/" + claims.getSubject());
        return json(200, JSON.createObjectNode().put("access_token", token)
                .put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token")
                .put("token_type", "Bearer").put("expires_in", 3599).toString());
    }

    private MockResponse generateAccessToken(String sa, String authorization, JsonNode body) {
        String federated = authorization == null ? null : authorization.replaceFirst("^Bearer ", "");
        String principal = federated == null ? null : federatedTokens.get(federated);
        if (principal == null) {
            return iamError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 "
                    + "access token, login cookie or other valid authentication credential.");
        }
        Set<String> users = workloadIdentityUsers.get(sa);
        if (users == null) {
            return iamError(404, "NOT_FOUND", "Not found; Gaia id not found for email " + sa);
        }
        if (!users.contains(principal)) {
            return iamError(403, "PERMISSION_DENIED", "Permission 'iam.serviceAccounts.getAccessToken' denied on "
                    + "resource (or it may not exist)." + (echoTokens ? " Credential: " + federated : ""));
        }
        String lifetime = body.path("lifetime").asText("3600s");
        long seconds = Long.parseLong(lifetime.substring(0, lifetime.length() - 1));
        if (seconds > 3600) {
            return iamError(400, "INVALID_ARGUMENT", "Request contains an invalid argument.");
        }
        String token = "ya29.c." + secrets.get();
        issued.add(token);
        return json(200, JSON.createObjectNode().put("accessToken", token)
                .put("expireTime", Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS).toString())
                .toString());
    }

    static String canary() {
        return "canary-" + UUID.randomUUID();
    }

    static MockResponse stsError(String error, String description) {
        return json(400, JSON.createObjectNode().put("error", error).put("error_description", description).toString());
    }

    static MockResponse iamError(int code, String status, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        error.put("status", status);
        if (code == 403) {
            error.putArray("details").addObject().put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
                    .put("reason", "IAM_PERMISSION_DENIED").put("domain", "iam.googleapis.com")
                    .putObject("metadata").put("permission", "iam.serviceAccounts.getAccessToken");
        }
        return json(code, body.toString());
    }

    static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json; charset=UTF-8")
                .body(body).build();
    }
}
