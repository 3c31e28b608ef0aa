package io.github.ephemeralcredentials.bench.servers;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x 5 core on its event loops (the natural model: non-blocking handlers), its own form decoder
 * ({@code setExpectMultipart}) bounded by {@code maxFormAttributeSize}; Vert.x core has no whole-body limit of its
 * own, so the handler counts the body against the same 64 KiB as the others.
 */
final class VertxCandidate {

    private VertxCandidate() {
    }

    static void start(int port) throws Exception {
        Vertx vertx = Vertx.vertx();
        HttpServerOptions options = new HttpServerOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setMaxHeaderSize(TokenAnswer.MAX_HEADER_BYTES)
                .setMaxFormAttributeSize(TokenAnswer.MAX_BODY_BYTES)
                .setMaxFormFields(TokenAnswer.MAX_FIELDS)
                .setIdleTimeout(TokenAnswer.IDLE_TIMEOUT_MILLIS)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        vertx.createHttpServer(options).requestHandler(request -> {
            if (request.method() == HttpMethod.GET) {
                answer(request, 200, TokenAnswer.BAD);
                return;
            }
            String length = request.getHeader("Content-Length");
            if (length == null || Long.parseLong(length) > TokenAnswer.MAX_BODY_BYTES) {
                answer(request, 413, TokenAnswer.BAD);
                return;
            }
            request.setExpectMultipart(true);
            request.endHandler(end -> {
                var form = request.formAttributes();
                boolean ok = TokenAnswer.isExchange(form.get("grant_type"), form.get("subject_token"));
                answer(request, ok ? 200 : 400, ok ? TokenAnswer.OK : TokenAnswer.BAD);
            });
        }).listen().await(10, TimeUnit.SECONDS);
    }

    private static void answer(HttpServerRequest request, int status, byte[] body) {
        request.response().setStatusCode(status)
                .putHeader("Content-Type", TokenAnswer.JSON)
                .putHeader("Cache-Control", "no-store")
                .end(Buffer.buffer(body));
    }
}
