package io.github.ephemeralcredentials.core.provider.gcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.ServerText;
import java.io.IOException;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * JSON POSTs to Google's STS and IAM Credentials APIs. Both error shapes are read: STS answers OAuth-style
 * {@code {"error": "invalid_grant", "error_description": "..."}}, IAM Credentials answers Google's
 * {@code {"error": {"code": 403, "message": "...", "status": "PERMISSION_DENIED"}}}. Connection failures, 429 and
 * 5xx are {@code UNAVAILABLE} so {@code Retries} tries again; other errors go to the caller's translation.
 */
final class GoogleApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final long MAX_BYTES = 256 * 1024;

    private final OkHttpClient http;

    GoogleApi(OkHttpClient http) {
        this.http = http;
    }

    /**
     * @param secrets values we sent or hold (the CI token, the federated token), removed from any server text we
     *                repeat
     */
    JsonNode post(HttpUrl url, JsonNode body, String bearer, Function<GoogleError, ProviderException> errors,
                  String... secrets) {
        Request.Builder request = new Request.Builder().url(url).header("Accept", "application/json")
                .post(RequestBody.create(body.toString(), JSON_TYPE));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            int status = response.code();
            JsonNode json = parse(HttpClients.readLimited(response.body(), MAX_BYTES));
            if (status == 200) {
                if (json == null) {
                    throw new ProviderException(GcpProvider.ID, Reason.UNEXPECTED_RESPONSE, null, "gcp: " + url
                            + " answered HTTP 200 without a JSON object; check the endpoint URL");
                }
                return json;
            }
            GoogleError error = GoogleError.from(status, json, secrets);
            if (status == 429 || status >= 500) {
                throw new ProviderException(GcpProvider.ID, Reason.UNAVAILABLE, error.code(), "gcp: " + url
                        + " answered HTTP " + status + error.said() + "; try again later");
            }
            if (status >= 300 && status < 400) {
                throw new ProviderException(GcpProvider.ID, Reason.UNEXPECTED_RESPONSE, String.valueOf(status),
                        "gcp: " + url + " answered a redirect (HTTP " + status + "); redirects are not followed "
                                + "with a token in the request: configure the final URL");
            }
            throw errors.apply(error);
        } catch (HttpClients.BodyTooLargeException e) {
            throw new ProviderException(GcpProvider.ID, Reason.UNEXPECTED_RESPONSE, null, "gcp: " + url
                    + " answered more than " + e.limit() + " bytes; check the endpoint URL");
        } catch (IOException e) {
            throw new ProviderException(GcpProvider.ID, Reason.UNAVAILABLE, null, "gcp: could not reach " + url
                    + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": "
                    + ServerText.clean(e.getMessage(), secrets)) + "); check the endpoint, proxy and network", e);
        }
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode json = text.isBlank() ? null : JSON.readTree(text);
            return json != null && json.isObject() ? json : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * One error answer, cleaned of secrets.
     *
     * @param status  HTTP status
     * @param code    STS {@code error} (e.g. {@code invalid_grant}) or IAM {@code error.status} (e.g.
     *                {@code PERMISSION_DENIED}), or null
     * @param message STS {@code error_description} or IAM {@code error.message}, or null
     */
    record GoogleError(int status, String code, String message) {

        static GoogleError from(int status, JsonNode json, String... secrets) {
            if (json == null) {
                return new GoogleError(status, null, null);
            }
            JsonNode error = json.get("error");
            if (error != null && error.isTextual()) {
                return new GoogleError(status, ServerText.clean(error.asText(), secrets),
                        ServerText.clean(json.path("error_description").asText(null), secrets));
            }
            if (error != null && error.isObject()) {
                return new GoogleError(status, ServerText.clean(error.path("status").asText(null), secrets),
                        ServerText.clean(error.path("message").asText(null), secrets));
            }
            return new GoogleError(status, null, null);
        }

        boolean says(String text) {
            return message != null && message.toLowerCase(java.util.Locale.ROOT).contains(text.toLowerCase(java.util.Locale.ROOT));
        }

        /** " (Google said: CODE: MESSAGE)" for messages, or "" when Google said nothing readable. */
        String said() {
            if (code == null && message == null) {
                return "";
            }
            return " (Google said: " + (code == null ? "" : code) + (code != null && message != null ? ": " : "")
                    + (message == null ? "" : message) + ")";
        }
    }
}
