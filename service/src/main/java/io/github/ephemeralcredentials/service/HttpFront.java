package io.github.ephemeralcredentials.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.service.state.SharedState;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * The service's routes on Jetty's core handler API: Jetty parses HTTP, forms and limits; this class only picks the
 * route, checks method and media type, and writes JSON. Token answers are never cached (RFC 6749 §5.1).
 *
 * <p>Declared non-blocking, so Jetty may call it on the selector thread that read the request: an exchange that waits
 * on nothing (see {@link TokenEndpoint#exchangeWithoutWaiting}) is answered there, without handing the request to a
 * pool thread and back; anything that may wait on a peer (a JWKS fetch, Redis, a provider's HTTP call) is handed to
 * the server's pool, so it never stalls the other connections of that selector. The form is read asynchronously.
 */
final class HttpFront extends Handler.Abstract.NonBlocking {

    /** Form fields a token request has: grant_type, subject_token(_type), audience, resource, scope, and a few more. */
    private static final int MAX_FIELDS = 16;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Function<Map<String, List<String>>, Optional<Answer>> ALWAYS_WAITS = form -> Optional.empty();

    private final TokenEndpoint tokens;
    private final OwnTokens own;
    private final TokenIssuer signer;
    private final SharedState state;
    private final ServiceMetrics metrics;
    private final int maxBodyBytes;

    HttpFront(TokenEndpoint tokens, OwnTokens own, TokenIssuer signer, SharedState state, ServiceMetrics metrics,
              int maxBodyBytes) {
        this.tokens = tokens;
        this.own = own;
        this.signer = signer;
        this.state = state;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        switch (path) {
            case "/token" -> form(request, response, callback, this::exchangeWithoutWaiting, tokens::exchange);
            // Revoking calls the provider, and introspection reads the shared store: both on a pool thread.
            case "/revoke" -> form(request, response, callback, ALWAYS_WAITS, tokens::revoke);
            case "/introspect" -> form(request, response, callback, ALWAYS_WAITS, form -> own.introspect(
                    request.getHeaders().get(HttpHeader.AUTHORIZATION), form));
            case "/healthz" -> get(method, response, callback, () -> json(response, callback, Answer.ok(Map.of("status", "ok"))));
            case "/readyz" -> get(method, response, callback, () -> onPool(request, response, callback,
                    () -> state.healthy()
                            ? Answer.ok(Map.of("status", "ready"))
                            : Answer.error(503, "temporarily_unavailable", "the shared store does not answer")));
            case "/metrics" -> get(method, response, callback,
                    () -> text(response, callback, 200, ServiceMetrics.contentType(), metrics.scrape()));
            case "/jwks" -> get(method, response, callback,
                    () -> text(response, callback, 200, "application/jwk-set+json", signer.jwks()));
            case "/.well-known/openid-configuration" -> get(method, response, callback,
                    () -> text(response, callback, 200, "application/json", signer.discoveryDocument()));
            default -> json(response, callback, Answer.error(404, "not_found", "no such endpoint; the service "
                    + "answers POST /token, POST /revoke, POST /introspect, GET /jwks, /.well-known/openid-configuration, /healthz, "
                    + "/readyz and /metrics"));
        }
        return true;
    }

    private Optional<Answer> exchangeWithoutWaiting(Map<String, List<String>> form) {
        Optional<Answer> answer = tokens.exchangeWithoutWaiting(form);
        if (answer.isEmpty()) {
            metrics.exchangeOnPool();
        }
        return answer;
    }

    private void get(String method, Response response, Callback callback, Runnable answer) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            json(response, callback, Answer.error(405, "invalid_request", "use GET"));
            return;
        }
        answer.run();
    }

    /**
     * @param withoutWaiting the answer when it needs no thread that may wait, else empty
     * @param endpoint       the answer on a pool thread
     */
    private void form(Request request, Response response, Callback callback,
                      Function<Map<String, List<String>>, Optional<Answer>> withoutWaiting,
                      Function<Map<String, List<String>>, Answer> endpoint) {
        if (!request.getMethod().equals("POST")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            json(response, callback, Answer.error(405, "invalid_request", "use POST with an "
                    + "application/x-www-form-urlencoded body"));
            return;
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !MimeTypes.getBase(type).equalsIgnoreCase("application/x-www-form-urlencoded")) {
            json(response, callback, Answer.error(400, "invalid_request", "the body must be "
                    + "application/x-www-form-urlencoded (RFC 6749 §3.2)"));
            return;
        }
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            json(response, callback, Answer.error(413, "invalid_request", "the body is larger than " + maxBodyBytes
                    + " bytes; a token request is a few KiB"));
            return;
        }
        Charset charset;
        try {
            charset = FormFields.getFormEncodedCharset(request);
        } catch (IllegalArgumentException e) {
            json(response, callback, Answer.error(400, "invalid_request", "the body's charset is not one this "
                    + "service knows; send UTF-8"));
            return;
        }
        Promise.Invocable<Fields> read = Promise.Invocable.from(InvocationType.NON_BLOCKING, (fields, failure) -> {
            if (failure != null) {
                json(response, callback, unreadable(failure));
                return;
            }
            Map<String, List<String>> form = new LinkedHashMap<>();
            fields.forEach(field -> form.put(field.getName(), field.getValues()));
            Optional<Answer> now;
            try {
                now = withoutWaiting.apply(form);
            } catch (RuntimeException e) {
                json(response, callback, failed(e));
                return;
            }
            if (now.isPresent()) {
                json(response, callback, now.get());
            } else {
                onPool(request, response, callback, () -> endpoint.apply(form));
            }
        });
        if (charset == null) {
            // No body, or none Jetty reads as a form: the endpoint names the missing fields.
            read.succeeded(Fields.EMPTY);
            return;
        }
        FormFields.onFields(request, charset, MAX_FIELDS, maxBodyBytes, read);
    }

    /** Answers on a thread of the server's pool, which may wait on a peer. */
    private static void onPool(Request request, Response response, Callback callback, Supplier<Answer> answer) {
        try {
            request.getContext().execute(() -> {
                Answer computed;
                try {
                    computed = answer.get();
                } catch (RuntimeException e) {
                    computed = failed(e);
                }
                json(response, callback, computed);
            });
        } catch (RejectedExecutionException e) {
            json(response, callback, Answer.error(503, "temporarily_unavailable", "the service has more requests "
                    + "waiting than it queues; retry shortly"));
        }
    }

    private Answer unreadable(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof BadMessageException || cause instanceof IllegalStateException
                || cause instanceof IllegalArgumentException) {
            return Answer.error(400, "invalid_request", "the form cannot be read: more than " + MAX_FIELDS
                    + " fields, more than " + maxBodyBytes + " bytes, or not URL-encoded");
        }
        return Answer.error(400, "invalid_request", "the form cannot be read (" + cause.getClass().getSimpleName()
                + ")");
    }

    /**
     * A bug's answer, and its line on stderr for the operators: the type and where it was thrown, never its message,
     * which could quote what the caller sent.
     */
    private static Answer failed(RuntimeException e) {
        StringBuilder where = new StringBuilder();
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(8, frames.length); i++) {
            where.append("\n    at ").append(frames[i]);
        }
        System.err.println("ephemeral-credentials serve: a request failed inside the service with "
                + e.getClass().getName() + " (message withheld)" + where);
        return Answer.error(500, "server_error", "the service failed to answer (" + e.getClass().getSimpleName()
                + "); its operators can see where on its stderr");
    }

    private static void json(Response response, Callback callback, Answer answer) {
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(answer.body());
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"server_error\"}".getBytes(StandardCharsets.UTF_8);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.PRAGMA, "no-cache");
        send(response, callback, answer.status(), "application/json", body);
    }

    private static void text(Response response, Callback callback, int status, String type, String body) {
        send(response, callback, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type.contains("charset") ? type : type + ";charset=utf-8");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
