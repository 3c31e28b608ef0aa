package io.github.ephemeralcredentials.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A throwaway {@code redis-server} on a free loopback port: no persistence, stopped by its PID. */
final class RedisProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The {@code redis-server} on the PATH, if any. */
    static Optional<Path> find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static RedisProcess start(Path server, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = Processes.freePort();
        Process process = Processes.start(new ProcessBuilder(List.of(server.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()));
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return new RedisProcess(process, port);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        Processes.stop(process);
        throw new IOException("redis-server did not listen on port " + port + "; see " + dir.resolve("redis.log"));
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
