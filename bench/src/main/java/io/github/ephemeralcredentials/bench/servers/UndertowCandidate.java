package io.github.ephemeralcredentials.bench.servers;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.form.FormData;
import io.undertow.server.handlers.form.FormEncodedDataDefinition;
import io.undertow.server.handlers.form.FormDataParser;
import io.undertow.server.handlers.form.FormParserFactory;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;

/**
 * Undertow 2.3 on its XNIO I/O threads: its URL-encoded form parser reads the body without blocking, so the natural
 * model is to answer on the I/O thread (Undertow has no virtual-thread mode).
 */
final class UndertowCandidate {

    private UndertowCandidate() {
    }

    static void start(int port) {
        FormParserFactory forms = FormParserFactory.builder(false)
                .addParser(new FormEncodedDataDefinition())
                .build();
        Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, TokenAnswer.MAX_HEADER_BYTES)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, (long) TokenAnswer.MAX_BODY_BYTES)
                .setServerOption(UndertowOptions.MAX_PARAMETERS, TokenAnswer.MAX_FIELDS)
                .setServerOption(UndertowOptions.IDLE_TIMEOUT, TokenAnswer.IDLE_TIMEOUT_MILLIS)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, TokenAnswer.IDLE_TIMEOUT_MILLIS)
                .setHandler(exchange -> {
                    if (exchange.getRequestMethod().equals(Methods.GET)) {
                        answer(exchange, 200, TokenAnswer.BAD);
                        return;
                    }
                    FormDataParser parser = forms.createParser(exchange);
                    if (parser == null) {
                        answer(exchange, 400, TokenAnswer.BAD);
                        return;
                    }
                    parser.parse(parsed -> {
                        FormData form = parsed.getAttachment(FormDataParser.FORM_DATA);
                        FormData.FormValue grant = form.getFirst("grant_type");
                        FormData.FormValue subject = form.getFirst("subject_token");
                        boolean ok = grant != null && subject != null
                                && TokenAnswer.isExchange(grant.getValue(), subject.getValue());
                        answer(parsed, ok ? 200 : 400, ok ? TokenAnswer.OK : TokenAnswer.BAD);
                    });
                })
                .build()
                .start();
    }

    private static void answer(HttpServerExchange exchange, int status, byte[] body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TokenAnswer.JSON);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }
}
