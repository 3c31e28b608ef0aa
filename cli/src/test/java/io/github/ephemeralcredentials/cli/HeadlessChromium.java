package io.github.ephemeralcredentials.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Chromium from Debian, headless, driven over the Chrome DevTools Protocol (JSON over a WebSocket, here
 * OkHttp's). It listens on a loopback port it picks itself and names in {@code DevToolsActivePort} in its profile
 * directory; every wait is bounded by one deadline. Absent Chromium skips the test with the install command, unless
 * {@code EC_REQUIRE_PEERS=true}.
 */
final class HeadlessChromium implements AutoCloseable {

    static final String INSTALL = "apt-get install -y --no-install-recommends chromium";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Instant deadline;

    private HeadlessChromium(Path profile, Duration budget) throws Exception {
        deadline = Instant.now().plus(budget);
        process = new ProcessBuilder(binary(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-extensions", "--disable-background-networking", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--window-size=1280,900", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromium.log").toFile()).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Chromium did not start its DevTools endpoint; see "
                        + profile.resolveSibling("chromium.log"));
            }
            Thread.sleep(50);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        String page = null;
        try (Response list = http.newCall(new Request.Builder().url("http://127.0.0.1:" + port + "/json/list").build())
                .execute()) {
            for (JsonNode target : JSON.readTree(list.body().string())) {
                if (target.path("type").asText().equals("page")) {
                    page = target.path("webSocketDebuggerUrl").asText();
                }
            }
        }
        if (page == null) {
            throw new IllegalStateException("Chromium lists no page target");
        }
        socket = http.newWebSocket(new Request.Builder().url(page).build(), new WebSocketListener() {
            @Override
            public void onMessage(WebSocket webSocket, String text) {
                try {
                    JsonNode message = JSON.readTree(text);
                    CompletableFuture<JsonNode> reply = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (reply != null) {
                        if (message.has("error")) {
                            reply.completeExceptionally(new IllegalStateException("CDP error: " + message.get("error")));
                        } else {
                            reply.complete(message.path("result"));
                        }
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                pending.values().forEach(f -> f.completeExceptionally(t));
            }
        });
    }

    /** A started browser, or the test skipped (failed under EC_REQUIRE_PEERS=true) when Chromium is not installed. */
    static HeadlessChromium start(Path dir) throws Exception {
        if (binary() == null) {
            String message = "Chromium not installed: " + INSTALL;
            if ("true".equals(System.getenv("EC_REQUIRE_PEERS"))) {
                throw new IllegalStateException(message + " (EC_REQUIRE_PEERS=true)");
            }
            Assumptions.abort(message);
        }
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        return new HeadlessChromium(profile, Duration.ofSeconds(60));
    }

    private static String binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        return null;
    }

    JsonNode send(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (!socket.send(message.toString())) {
            throw new IllegalStateException("the DevTools socket is closed");
        }
        long left = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
        return reply.get(left, TimeUnit.MILLISECONDS);
    }

    /** Opens {@code file} and waits until the document has loaded. */
    void open(Path file) throws Exception {
        send("Page.navigate", Map.of("url", file.toUri().toString()));
        while (!"complete".equals(eval("document.readyState").asText()) || !eval("location.href").asText().startsWith("file:")) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the page did not load before the deadline");
            }
            Thread.sleep(50);
        }
    }

    /** The value of a JavaScript expression in the page. */
    JsonNode eval(String expression) throws Exception {
        JsonNode result = send("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("the page threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A real mouse click (pressed, released) at page coordinates, as a person would. */
    void click(double x, double y) throws Exception {
        for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
            send("Input.dispatchMouseEvent", Map.of("type", type, "x", x, "y", y, "button", "left", "clickCount", 1));
        }
    }

    byte[] screenshot() throws Exception {
        JsonNode shot = send("Page.captureScreenshot", Map.of("format", "png"));
        return Base64.getDecoder().decode(shot.path("data").asText().getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        socket.close(1000, null);
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
