package io.github.ephemeralcredentials.bench.servers;

import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import java.time.Duration;

/**
 * Helidon SE 4's webserver: one virtual thread per request (its only model), its own form reader
 * ({@code Parameters}), Java 21 bytecode, hence its own source root compiled at release 21.
 */
public final class HelidonCandidate {

    private HelidonCandidate() {
    }

    public static void start(int port) {
        WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .maxPayloadSize(TokenAnswer.MAX_BODY_BYTES)
                .idleConnectionTimeout(Duration.ofMillis(TokenAnswer.IDLE_TIMEOUT_MILLIS))
                .addProtocol(Http1Config.builder().maxHeadersSize(TokenAnswer.MAX_HEADER_BYTES).build())
                .routing(routing -> routing
                        .get("/*", (req, res) -> answer(res, Status.OK_200, TokenAnswer.BAD))
                        .post("/token", (req, res) -> {
                            Parameters form = req.content().as(Parameters.class);
                            boolean ok = TokenAnswer.isExchange(form.first("grant_type").orElse(null),
                                    form.first("subject_token").orElse(null));
                            answer(res, ok ? Status.OK_200 : Status.BAD_REQUEST_400,
                                    ok ? TokenAnswer.OK : TokenAnswer.BAD);
                        }))
                .build()
                .start();
    }

    private static void answer(ServerResponse res, Status status, byte[] body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, TokenAnswer.JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body);
    }
}
