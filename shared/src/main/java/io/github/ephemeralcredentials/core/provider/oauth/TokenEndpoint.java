package io.github.ephemeralcredentials.core.provider.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One form POST to an OAuth endpoint and the reading of its answer: the success shape of RFC 6749 §5.1 /
 * RFC 8693 §2.2.1, the error shape of §5.2, and transport failures. Never puts a response body in a message: a body
 * may hold a token.
 */
public final class TokenEndpoint {

    /** Form fields that carry secrets; removed from any server text we repeat. */
    static final Set<String> SECRET_FIELDS =
            Set.of("subject_token", "actor_token", "assertion", "client_assertion", "client_secret", "token");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 256 * 1024;
    private static final int MAX_DESCRIPTION = 400;
    /** Three base64url segments: a JWS; two or more dots also catch JWE. Servers sometimes echo tokens. */
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_.:-]{1,80}", Pattern.CASE_INSENSITIVE);
    /** Shorter "secrets" (test placeholders) would shred ordinary words if replaced everywhere. */
    private static final int MIN_SCRUBBED_LENGTH = 4;
    private static final Pattern JWT_SHAPED = Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_.-]*");

    private final String provider;
    private final OkHttpClient http;
    private final Function<String, String> environment;
    private final Clock clock;
    private final int maxDescription;

    public TokenEndpoint(String provider, OkHttpClient http, Function<String, String> environment, Clock clock) {
        this(provider, http, environment, clock, MAX_DESCRIPTION);
    }

    /**
     * @param maxDescription how much of an {@code error_description} to repeat: a server whose descriptions are
     *                       written for the job's log (the token-exchange service's claim-by-claim denial) gets more
     *                       than the usual 400 characters
     */
    public TokenEndpoint(String provider, OkHttpClient http, Function<String, String> environment, Clock clock,
                         int maxDescription) {
        if (maxDescription < 1) {
            throw new IllegalArgumentException("maxDescription must be positive");
        }
        this.provider = provider;
        this.http = http;
        this.environment = environment;
        this.clock = clock;
        this.maxDescription = maxDescription;
    }

    /**
     * A token response and the whole JSON object it came in, for a server whose answer says more than RFC 6749
     * §5.1 names (the token-exchange service's {@code credential}).
     *
     * @param token the standard members, read as {@link #requestToken} reads them
     * @param body  the whole answer, at most 256 KiB
     */
    public record Answer(TokenResponse token, JsonNode body) {

        @Override
        public String toString() {
            return "Answer[" + token + ", body=****]";
        }
    }

    /** Posts a grant and returns the issued token, or throws what {@code errors} makes of a §5.2 error. */
    public TokenResponse requestToken(HttpUrl endpoint, Form fields, ClientAuthentication auth,
                                      ErrorTranslator errors) {
        return requestAnswer(endpoint, fields, auth, errors).token();
    }

    /** As {@link #requestToken}, with the whole answer. */
    public Answer requestAnswer(HttpUrl endpoint, Form fields, ClientAuthentication auth, ErrorTranslator errors) {
        Instant sent = clock.instant();
        try (Response response = post(endpoint, fields, auth)) {
            if (response.code() == 200) {
                JsonNode json = read(endpoint, response);
                return new Answer(success(endpoint, json, sent), json);
            }
            throw failure(endpoint, response, fields, auth, errors);
        } catch (IOException e) {
            throw unreachable(endpoint, e);
        }
    }

    /**
     * Posts an RFC 7009 revocation. 200 means revoked or unknown (§2.2): both are success.
     */
    public void revoke(HttpUrl endpoint, Form fields, ClientAuthentication auth, ErrorTranslator errors) {
        try (Response response = post(endpoint, fields, auth)) {
            if (response.code() != 200) {
                throw failure(endpoint, response, fields, auth, errors);
            }
        } catch (IOException e) {
            throw unreachable(endpoint, e);
        }
    }

    private Response post(HttpUrl endpoint, Form fields, ClientAuthentication auth) throws IOException {
        Form form = fields.copy();
        Request.Builder request = new Request.Builder().url(endpoint).header("Accept", "application/json");
        auth.apply(provider, request, form, environment);
        FormBody.Builder body = new FormBody.Builder();
        form.fields().forEach(f -> body.add(f.getKey(), f.getValue()));
        return http.newCall(request.post(body.build()).build()).execute();
    }

    private TokenResponse success(HttpUrl endpoint, JsonNode json, Instant sent) {
        if (json == null) {
            throw unexpected(endpoint, "answered HTTP 200 with a body that is not JSON");
        }
        String accessToken = text(json, "access_token");
        String tokenType = text(json, "token_type");
        if (accessToken == null || tokenType == null) {
            throw unexpected(endpoint, "answered HTTP 200 without " + (accessToken == null ? "access_token" : "token_type")
                    + " (RFC 6749 §5.1 requires both)");
        }
        Instant expiresAt = null;
        JsonNode expiresIn = json.get("expires_in");
        if (expiresIn != null && !expiresIn.isNull()) {
            long seconds = expiresIn.isIntegralNumber() ? expiresIn.asLong()
                    : expiresIn.isTextual() && expiresIn.asText().matches("\\d{1,9}") ? Long.parseLong(expiresIn.asText()) : -1;
            if (seconds <= 0) {
                throw unexpected(endpoint, "answered expires_in that is not a positive number of seconds");
            }
            // From when we sent the request: the token may have been issued at any moment after that.
            expiresAt = sent.plusSeconds(seconds);
        }
        return new TokenResponse(accessToken, tokenType, text(json, "issued_token_type"), expiresAt,
                text(json, "scope"), text(json, "refresh_token"));
    }

    private ProviderException failure(HttpUrl endpoint, Response response, Form fields,
                                      ClientAuthentication auth, ErrorTranslator errors) throws IOException {
        int status = response.code();
        if (status >= 300 && status < 400) {
            return new ProviderException(provider, Reason.UNEXPECTED_RESPONSE, String.valueOf(status), provider + ": "
                    + endpoint + " answered a redirect (HTTP " + status + "); redirects are not followed with "
                    + "credentials in the body: configure the final URL");
        }
        JsonNode json = status >= 500 && status != 503 ? null : read(endpoint, response);
        String code = json == null ? null : text(json, "error");
        if (code != null && !ERROR_CODE.matcher(code).matches()) {
            // RFC 6749 §5.2 limits codes to a short ASCII set; anything else is not an OAuth error we can repeat.
            code = null;
        }
        if (code != null && (status == 400 || status == 401 || status == 403)) {
            OAuthError error = new OAuthError(status, code, cleanDescription(text(json, "error_description"), fields, auth),
                    clean(text(json, "error_uri"), fields, auth), extensions(json, fields, auth));
            if (code.equals("temporarily_unavailable") || code.equals("server_error") || code.equals("slow_down")) {
                return new ProviderException(provider, Reason.UNAVAILABLE, code, provider + ": " + endpoint
                        + " is temporarily unable to answer (" + error.summary() + "); try again later");
            }
            return errors.translate(error);
        }
        if (status == 429 || status >= 500) {
            return new ProviderException(provider, Reason.UNAVAILABLE, String.valueOf(status), provider + ": "
                    + endpoint + " answered HTTP " + status + "; the server is overloaded or failing, try again later");
        }
        return new ProviderException(provider, Reason.UNEXPECTED_RESPONSE, String.valueOf(status), provider + ": "
                + endpoint + " answered HTTP " + status + " without an OAuth error (RFC 6749 §5.2); check that it "
                + "is the token endpoint of an OAuth 2.0 server");
    }

    private JsonNode read(HttpUrl endpoint, Response response) throws IOException {
        try {
            String body = HttpClients.readLimited(response.body(), MAX_BYTES);
            JsonNode json = JSON.readTree(body);
            return json != null && json.isObject() ? json : null;
        } catch (HttpClients.BodyTooLargeException e) {
            throw unexpected(endpoint, "answered a body larger than " + e.limit() + " bytes");
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private Map<String, String> extensions(JsonNode json, Form fields, ClientAuthentication auth) {
        Map<String, String> ext = new LinkedHashMap<>();
        json.properties().forEach(e -> {
            if (!List.of("error", "error_description", "error_uri").contains(e.getKey()) && !e.getValue().isContainerNode()) {
                ext.put(e.getKey(), clean(e.getValue().asText(), fields, auth));
            } else if (e.getValue().isArray()) {
                ext.put(e.getKey(), clean(e.getValue().toString(), fields, auth));
            }
        });
        return ext;
    }

    private String cleanDescription(String description, Form fields, ClientAuthentication auth) {
        String text = clean(description, fields, auth);
        if (text != null && text.length() > maxDescription) {
            text = text.substring(0, maxDescription) + "…";
        }
        return text;
    }

    /** Removes every secret we sent, and anything token-shaped, from server-provided text before we repeat it. */
    private String clean(String text, Form fields, ClientAuthentication auth) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : fields.secretValues()) {
            if (secret.length() >= MIN_SCRUBBED_LENGTH) {
                out = out.replace(secret, "****");
            }
        }
        if (auth.secretEnv() != null) {
            String secret = environment.apply(auth.secretEnv());
            if (secret != null && secret.length() >= MIN_SCRUBBED_LENGTH) {
                out = out.replace(secret, "****");
            }
        }
        return JWT_SHAPED.matcher(out).replaceAll("****");
    }

    private ProviderException unreachable(HttpUrl endpoint, IOException e) {
        return new ProviderException(provider, Reason.UNAVAILABLE, null, provider + ": could not reach " + endpoint
                + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + "); check the URL, proxy and network, or try again", e);
    }

    private ProviderException unexpected(HttpUrl endpoint, String what) {
        return new ProviderException(provider, Reason.UNEXPECTED_RESPONSE, null, provider + ": " + endpoint + " " + what
                + "; check that it is the token endpoint of an OAuth 2.0 server");
    }

    private static String text(JsonNode json, String name) {
        JsonNode node = json.get(name);
        return node == null || node.isNull() || !node.isValueNode() || node.asText().isEmpty() ? null : node.asText();
    }
}
