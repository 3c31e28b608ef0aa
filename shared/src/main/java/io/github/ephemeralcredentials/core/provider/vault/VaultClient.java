package io.github.ephemeralcredentials.core.provider.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.ServerText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Vault's HTTP API as this provider uses it: JSON bodies, {@code X-Vault-Token} and {@code X-Vault-Namespace}
 * headers, and errors as {@code {"errors": ["..."]}}. Connection failures, 429 and 5xx are {@code UNAVAILABLE} (so
 * {@code Retries} tries again); every other failure is returned as a {@link VaultError} for the caller to explain.
 */
final class VaultClient {

    static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 1024 * 1024;

    private final OkHttpClient http;
    private final HttpUrl address;
    private final String namespace;

    VaultClient(OkHttpClient http, HttpUrl address, String namespace) {
        this.http = http;
        this.address = address;
        this.namespace = namespace;
    }

    /** {@code POST /v1/auth/{mount}/login {"role", "jwt"}}: the {@code auth} object, or a {@link VaultError}. */
    JsonNode login(String mount, String role, String jwt) {
        ObjectNode body = JSON.createObjectNode().put("role", role).put("jwt", jwt);
        return call("POST", "auth/" + mount + "/login", null, body, jwt);
    }

    /** {@code GET /v1/{path}}: the whole response (with {@code data}, {@code lease_id}, ...). */
    JsonNode read(String token, String path) {
        return call("GET", path, token, null, token);
    }

    /** {@code PUT /v1/sys/leases/revoke {"lease_id"}}. */
    void revokeLease(String token, String leaseId) {
        call("PUT", "sys/leases/revoke", token, JSON.createObjectNode().put("lease_id", leaseId), token);
    }

    /** {@code POST /v1/auth/token/revoke-self}. */
    void revokeSelf(String token) {
        call("POST", "auth/token/revoke-self", token, null, token);
    }

    /** {@code GET /v1/auth/token/lookup-self}: whether Vault still knows the token. */
    void lookupSelf(String token) {
        call("GET", "auth/token/lookup-self", token, null, token);
    }

    HttpUrl url(String path) {
        return address.newBuilder().addPathSegment("v1").addPathSegments(path).build();
    }

    private JsonNode call(String method, String path, String token, JsonNode body, String secret) {
        HttpUrl url = url(path);
        Request.Builder request = new Request.Builder().url(url);
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        if (namespace != null) {
            request.header("X-Vault-Namespace", namespace);
        }
        RequestBody payload = body == null ? null : RequestBody.create(body.toString(), JSON_TYPE);
        if (payload == null && (method.equals("POST") || method.equals("PUT"))) {
            payload = RequestBody.create(new byte[0], null);
        }
        request.method(method, payload);
        try (Response response = http.newCall(request.build()).execute()) {
            int status = response.code();
            String text = HttpClients.readLimited(response.body(), MAX_BYTES);
            JsonNode json = parse(text);
            if (status >= 200 && status < 300) {
                return json == null ? JSON.createObjectNode() : json;
            }
            List<String> errors = errors(json, secret);
            if (status == 429 || status >= 500) {
                throw new ProviderException(VaultProvider.ID, Reason.UNAVAILABLE, String.valueOf(status),
                        "vault: " + url + " answered HTTP " + status + describe(errors)
                                + (status == 503 ? " (sealed or in maintenance)" : "") + "; try again later");
            }
            if (status >= 300 && status < 400) {
                throw new ProviderException(VaultProvider.ID, Reason.UNEXPECTED_RESPONSE, String.valueOf(status),
                        "vault: " + url + " answered a redirect (HTTP " + status + "); redirects are not followed "
                                + "with a token in the request: set 'address' to the active node's URL");
            }
            throw new VaultError(method, url, status, errors);
        } catch (HttpClients.BodyTooLargeException e) {
            throw new ProviderException(VaultProvider.ID, Reason.UNEXPECTED_RESPONSE, null, "vault: " + url
                    + " answered more than " + e.limit() + " bytes; check that 'address' points at Vault");
        } catch (IOException e) {
            throw new ProviderException(VaultProvider.ID, Reason.UNAVAILABLE, null, "vault: could not reach " + url
                    + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + ServerText.clean(e.getMessage(), secret)) + "); check 'address', the proxy and the network", e);
        }
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            JsonNode json = JSON.readTree(text);
            return json != null && json.isObject() ? json : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static List<String> errors(JsonNode json, String secret) {
        List<String> out = new ArrayList<>();
        if (json != null && json.get("errors") instanceof com.fasterxml.jackson.databind.node.ArrayNode errors) {
            errors.forEach(e -> {
                if (e.isTextual()) {
                    out.add(ServerText.clean(e.asText(), secret));
                }
            });
        }
        return out;
    }

    static String describe(List<String> errors) {
        return errors.isEmpty() ? "" : " " + errors;
    }

    /** A 4xx answer with Vault's error strings (already cleaned of secrets). Not retried. */
    static final class VaultError extends RuntimeException {
        final String method;
        final HttpUrl url;
        final int status;
        final List<String> errors;

        VaultError(String method, HttpUrl url, int status, List<String> errors) {
            super(method + " " + url + " answered HTTP " + status + describe(errors), null, false, false);
            this.method = method;
            this.url = url;
            this.status = status;
            this.errors = List.copyOf(errors);
        }

        boolean mentions(String text) {
            return errors.stream().anyMatch(e -> e.contains(text));
        }
    }
}
