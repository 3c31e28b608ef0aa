package io.github.ephemeralcredentials.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** What starting and stopping the benchmark's child processes share. */
final class Processes {

    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Processes() {
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits until {@code url} answers 200, or fails naming the log when the process exits or time runs out. */
    static void awaitOk(Process process, String url, Duration timeout, Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("the process exited with code " + process.exitValue() + " while starting; see "
                        + log);
            }
            try {
                if (PROBE.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IOException(url + " did not answer within " + timeout + "; see " + log);
    }

    /** Starts {@code builder}'s process, stopped with this JVM too when the benchmark is interrupted (Ctrl-C). */
    static Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "stop-" + process.pid()));
        return process;
    }

    /** SIGTERM to the process's descendants and then to it, each by its own handle; SIGKILL after a grace period. */
    static void stop(Process process) {
        var children = process.descendants().toList();
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        for (ProcessHandle child : children) {
            child.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).join();
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
