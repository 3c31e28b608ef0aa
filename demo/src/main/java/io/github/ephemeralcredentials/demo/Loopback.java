package io.github.ephemeralcredentials.demo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * One of the demo's stand-in parties on a free loopback port, on Jetty (as the service): the routes answer a
 * request with an {@link Reply}, and Jetty does the HTTP.
 */
final class Loopback implements AutoCloseable {

    /** What a route answers. */
    record Reply(int status, String contentType, String body, String challenge) {

        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, null);
        }
    }

    private final Server server;
    private final String url;

    private Loopback(Server server, String url) {
        this.server = server;
        this.url = url;
    }

    /** Starts a server whose every request is answered by {@code routes} (path, request). */
    static Loopback start(String name, BiFunction<String, Request, Reply> routes) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("ec-demo-" + name);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Reply reply = routes.apply(Request.getPathInContext(request), request);
                response.setStatus(reply.status());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType() + ";charset=utf-8");
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                if (reply.challenge() != null) {
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, reply.challenge());
                }
                response.write(true, ByteBuffer.wrap(reply.body().getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        // Nothing in flight is worth waiting for when the demo ends.
        server.setStopTimeout(0);
        server.start();
        return new Loopback(server, "http://127.0.0.1:" + connector.getLocalPort());
    }

    String url() {
        return url;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("a demo server did not stop: " + e.getClass().getSimpleName(), e);
        }
    }
}
