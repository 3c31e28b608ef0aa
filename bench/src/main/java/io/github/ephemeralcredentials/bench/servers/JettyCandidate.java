package io.github.ephemeralcredentials.bench.servers;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty 12.1 core handlers, set up as TokenExchangeService does (its thread pool, header limit, idle timeout). */
final class JettyCandidate {

    private JettyCandidate() {
    }

    static void start(int port) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        Server server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setRequestHeaderSize(TokenAnswer.MAX_HEADER_BYTES);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        connector.setIdleTimeout(TokenAnswer.IDLE_TIMEOUT_MILLIS);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (request.getMethod().equals("GET")) {
                    response.write(true, ByteBuffer.wrap(TokenAnswer.BAD), callback);
                    return true;
                }
                boolean ok;
                try {
                    Fields form = FormFields.getFields(request, TokenAnswer.MAX_FIELDS, TokenAnswer.MAX_BODY_BYTES);
                    ok = TokenAnswer.isExchange(form.getValue("grant_type"), form.getValue("subject_token"));
                } catch (RuntimeException e) {
                    ok = false;
                }
                response.setStatus(ok ? 200 : 400);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, TokenAnswer.JSON);
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                response.write(true, ByteBuffer.wrap(ok ? TokenAnswer.OK : TokenAnswer.BAD), callback);
                return true;
            }
        });
        server.start();
    }
}
