package io.github.ephemeralcredentials.bench.servers;

/**
 * One candidate server in a JVM of its own: {@code CandidateServer jetty|undertow|vertx|helidon PORT}. It serves
 * {@code POST /token} (and {@code GET} anything, for the readiness probe) until it is stopped.
 */
public final class CandidateServer {

    private CandidateServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        switch (args[0]) {
            case "jetty" -> JettyCandidate.start(port);
            case "undertow" -> UndertowCandidate.start(port);
            case "vertx" -> VertxCandidate.start(port);
            // Compiled at release 21 (src/helidon/java), so reached by name from this Java 17 code.
            case "helidon" -> helidon(port);
            default -> throw new IllegalArgumentException("unknown server " + args[0]
                    + "; use jetty, undertow, vertx or helidon");
        }
        Thread.currentThread().join();
    }

    private static void helidon(int port) throws Exception {
        Class<?> candidate;
        try {
            candidate = Class.forName("io.github.ephemeralcredentials.bench.servers.HelidonCandidate");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the Helidon candidate was not compiled: it needs a JDK 21+ javac at "
                    + "/usr/lib/jvm/temurin-25-jdk-amd64 (bench/pom.xml, profile helidon-candidate); run "
                    + "bench/http-servers --servers jetty,undertow,vertx without it", e);
        }
        candidate.getMethod("start", int.class).invoke(null, port);
    }
}
