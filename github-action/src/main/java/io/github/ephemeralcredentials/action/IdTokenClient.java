package io.github.ephemeralcredentials.action;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.ephemeralcredentials.core.oidc.UnverifiedClaims;
import io.github.ephemeralcredentials.action.ActionException.Reason;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.text.ParseException;
import java.util.Map;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Asks the runner for the job's OIDC token, the way {@code @actions/core}'s {@code getIDToken} does:
 * {@code GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<encoded>} with {@code Authorization: Bearer
 * $ACTIONS_ID_TOKEN_REQUEST_TOKEN} and {@code Accept: application/json}, reading {@code value} from the JSON
 * answer. The token is masked the moment it arrives.
 *
 * <p>Retries follow the core's one rule ({@link Retries}): only connection failures and 5xx answers, bounded,
 * with jittered backoff. A 4xx is final: asking again would get the same answer.
 */
public final class IdTokenClient {

    public static final String URL_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_URL";
    public static final String TOKEN_VARIABLE = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

    static final String SOURCE = "GitHub Actions OIDC token endpoint";
    private static final long MAX_BODY = 64 * 1024;

    private final HttpUrl endpoint;
    private final String requestToken;
    private final OkHttpClient http;
    private final Retries retries;
    private final WorkflowCommands commands;

    IdTokenClient(HttpUrl endpoint, String requestToken, OkHttpClient http, Retries retries, WorkflowCommands commands) {
        this.endpoint = endpoint;
        this.requestToken = requestToken;
        this.http = http;
        this.retries = retries;
        this.commands = commands;
    }

    /**
     * @throws ActionException {@link Reason#MISSING_ID_TOKEN_PERMISSION} when the runner did not give this step
     *                         the two variables, which happens exactly when the job lacks the permission
     */
    public static IdTokenClient fromEnvironment(Map<String, String> env, OkHttpClient http, Retries retries,
                                                WorkflowCommands commands) {
        String url = env.get(URL_VARIABLE);
        String token = env.get(TOKEN_VARIABLE);
        if (url == null || url.isBlank() || token == null || token.isBlank()) {
            throw new ActionException(Reason.MISSING_ID_TOKEN_PERMISSION, "the runner gave this step no OIDC token "
                    + "(" + URL_VARIABLE + " and " + TOKEN_VARIABLE + " are not set): add `permissions: id-token: "
                    + "write` to the job (or the workflow). Pull requests from forks never get an OIDC token.");
        }
        HttpUrl parsed = HttpUrl.parse(url.strip());
        if (parsed == null) {
            throw new ActionException(Reason.ID_TOKEN_UNAVAILABLE, URL_VARIABLE + " is not an http(s) URL; "
                    + "this step must run on a GitHub Actions runner");
        }
        return new IdTokenClient(parsed, token.strip(), http, retries, commands);
    }

    /** The request URL for {@code audience}: the runner's URL keeps its query and gains an encoded parameter. */
    HttpUrl url(String audience) {
        if (audience == null || audience.isEmpty()) {
            return endpoint;
        }
        // HttpUrl appends with '&' when the URL has a query (it carries api-version) and '?' when not, and
        // percent-encodes like encodeURIComponent for everything that matters here (':', '/', '+', ' ', '&').
        return endpoint.newBuilder().addQueryParameter("audience", audience).build();
    }

    /**
     * Fetches a token for {@code audience} (or the runner's default {@code https://github.com/OWNER} when null)
     * and masks it before returning.
     */
    public String fetch(String audience) {
        HttpUrl url = url(audience);
        String idToken;
        try {
            idToken = retries.run(SOURCE, () -> requestToken, bearer -> once(url, bearer));
        } catch (ProviderException e) {
            throw new ActionException(Reason.ID_TOKEN_UNAVAILABLE, e.getMessage(), e);
        }
        commands.addMask(idToken);
        return idToken;
    }

    /**
     * Supplies {@code first} while it has at least a minute left, then fresh tokens (each masked): what a provider's
     * retries need when they outlive the five-minute token.
     */
    public Supplier<String> supplier(String audience, String first) {
        String[] current = {first};
        return () -> {
            Instant exp = UnverifiedClaims.decode(current[0]).claims().expiresAt().orElse(Instant.MAX);
            if (exp.isBefore(Instant.now().plusSeconds(60))) {
                current[0] = fetch(audience);
            }
            return current[0];
        };
    }

    private String once(HttpUrl url, String bearer) {
        Request request = new Request.Builder().url(url).get()
                .header("Authorization", "Bearer " + bearer)
                .header("Accept", "application/json")
                .header("User-Agent", "ephemeral-credentials/oidc-client")
                .build();
        try (Response response = http.newCall(request).execute()) {
            String body = HttpClients.readLimited(response.body(), MAX_BODY);
            if (response.code() >= 500) {
                throw unavailable("answered HTTP " + response.code(), null);
            }
            if (response.code() == 401 || response.code() == 403) {
                throw new ProviderException(SOURCE, ProviderException.Reason.ACCESS_DENIED, String.valueOf(response.code()),
                        "the runner refused the OIDC token request (HTTP " + response.code() + "): check that the job "
                                + "has `permissions: id-token: write` and that the step runs within the job that "
                                + "received ACTIONS_ID_TOKEN_REQUEST_TOKEN");
            }
            if (!response.isSuccessful()) {
                throw new ProviderException(SOURCE, ProviderException.Reason.UNEXPECTED_RESPONSE,
                        String.valueOf(response.code()), "the runner answered the OIDC token request with HTTP "
                        + response.code() + "; re-run the job, and report it if it persists");
            }
            return value(body);
        } catch (IOException e) {
            throw unavailable("could not be reached (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
    }

    /** Through Nimbus's JSON utilities, which the step loads anyway for the token's claims (see ActionState). */
    private static String value(String body) {
        Object value;
        try {
            value = JSONObjectUtils.parse(body).get("value");
        } catch (ParseException e) {
            value = null;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw new ProviderException(SOURCE, ProviderException.Reason.UNEXPECTED_RESPONSE, null,
                    "the runner's answer to the OIDC token request has no `value` field; re-run the job");
        }
        return text;
    }

    private static ProviderException unavailable(String what, Throwable cause) {
        return new ProviderException(SOURCE, ProviderException.Reason.UNAVAILABLE, null,
                "the " + SOURCE + " " + what + " after retries; re-run the job (GitHub status: "
                        + "https://www.githubstatus.com)", cause);
    }

    @Override
    public String toString() {
        return "IdTokenClient[" + Objects.toString(endpoint.host()) + "]";
    }
}
