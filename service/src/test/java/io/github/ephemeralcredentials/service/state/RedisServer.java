package io.github.ephemeralcredentials.service.state;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's) of its own on a free loopback port: no persistence, a temporary directory,
 * stopped by PID. It can be paused ({@code SIGSTOP}: the port still accepts connections but nothing answers — a hung
 * Redis), resumed, stopped ({@code SIGTERM}: connections are refused) and started again on the same port.
 *
 * <p>Readiness is checked with a raw {@code PING} over a socket, not with the client under test.
 *
 * <p>When {@code redis-server} is not on the PATH, {@link #start} skips the test, unless {@code EC_REQUIRE_PEERS=true}
 * (as {@code .ci/run} sets), which makes it fail — the same convention as the core's Ceph and Keycloak peers.
 */
public final class RedisServer implements AutoCloseable {

    static final String INSTALL = "apt-get install -y --no-install-recommends redis-server";
    private static final Duration READY_WITHIN = Duration.ofSeconds(10);

    private final Path binary;
    private final Path dir;
    private final int port;
    private final String password;
    private Process process;
    private boolean paused;

    private RedisServer(Path binary, Path dir, int port, String password) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    /** A server without a password. */
    public static RedisServer start() {
        return start(null);
    }

    /** A server that requires {@code password} for the default user ({@code --requirepass}), or none when null. */
    static RedisServer start(String password) {
        Path binary = binary(System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), System.getenv("EC_REQUIRE_PEERS"));
        Path dir;
        try {
            dir = Files.createTempDirectory("ec-redis-");
        } catch (IOException e) {
            throw new IllegalStateException("no temporary directory for redis-server: " + e.getMessage(), e);
        }
        RedisServer server = new RedisServer(binary, dir, freePort(), password);
        try {
            server.startProcess();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}, without credentials. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** SIGSTOP: the kernel still accepts connections on the port, but no command is answered until {@link #resume}. */
    void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT. */
    void resume() {
        signal("CONT");
        paused = false;
    }

    /** SIGTERM and wait for the process to exit: connections to the port are then refused. */
    public void stop() {
        if (process == null) {
            return;
        }
        if (paused) {
            // A stopped process keeps SIGTERM pending; let it run so that it can act on it.
            resume();
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
    }

    /** A fresh server (empty: nothing was persisted) on the same port. */
    public void restart() {
        stop();
        startProcess();
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--dir", dir.toString()));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        Path log = dir.resolve("redis.log");
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server did not start: " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + tail(log));
            }
            if (answersPing()) {
                return;
            }
            sleep(Duration.ofMillis(20));
        }
        stop();
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within " + READY_WITHIN
                + ": " + tail(log));
    }

    /** PING as RESP, by hand; with a password, AUTH first. Any reply to PING other than PONG is "not ready". */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            if (password != null) {
                out.write(resp("AUTH", password));
                if (!readLine(in).equals("+OK")) {
                    return false;
                }
            }
            out.write(resp("PING"));
            return readLine(in).equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static byte[] resp(String... args) {
        StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
        for (String arg : args) {
            command.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                    .append(arg).append("\r\n");
        }
        return command.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("kill -" + signal + " did not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal, e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * {@code redis-server} on {@code path}; when absent, aborts the test (a skip), or fails it when
     * {@code requirePeers} is {@code "true"}.
     */
    static Path binary(String path, String requirePeers) {
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = "redis-server is not on the PATH, so the Redis tests cannot run: " + INSTALL;
        if ("true".equals(requirePeers)) {
            throw new IllegalStateException(message + " (EC_REQUIRE_PEERS=true)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable: Assumptions.abort throws");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port: " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for redis-server", e);
        }
    }
}
