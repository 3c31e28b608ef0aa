package io.github.ephemeralcredentials.core.peers;

import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Keycloak 26 as a real OAuth peer, started once per JVM (root store) on a free loopback port, with a CI issuer
 * (our {@code TokenIssuer} behind {@link IssuerServer}) that Keycloak trusts, and one realm configured for RFC 7523,
 * Azure-style federated client assertions and RFC 8693 (see {@link KeycloakRealm}).
 *
 * <p>The distribution comes from Maven Central: the {@code keycloak-peer} profile of {@code shared/pom.xml} unpacks
 * {@code org.keycloak:keycloak-quarkus-dist} under {@code target/keycloak} and passes its home as the system property
 * {@code keycloak.home}. The one-time {@code kc.sh build} (about a minute) is cached in that tree. Without it
 * (built with {@code -Dskip.keycloak}) the tests are skipped, unless {@code EC_REQUIRE_PEERS=true}.
 */
public final class KeycloakPeer implements BeforeAllCallback, ParameterResolver {

    static final String BUILD_ARGS = "--db=dev-file --features=token-exchange,admin-fine-grained-authz:v1";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(6);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KeycloakRealm.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return running(context).realm;
    }

    private static Running running(ExtensionContext context) {
        Path home = home();
        return context.getRoot().getStore(ExtensionContext.Namespace.create(KeycloakPeer.class))
                .getOrComputeIfAbsent(Running.class, k -> Running.start(home), Running.class);
    }

    private static Path home() {
        String property = System.getProperty("keycloak.home");
        Path home = property == null ? null : Path.of(property);
        if (home == null || !Files.isExecutable(home.resolve("bin/kc.sh"))) {
            String message = "Keycloak peer absent (" + (property == null ? "no keycloak.home" : property + " has no bin/kc.sh")
                    + "): build without -Dskip.keycloak so Maven unpacks org.keycloak:keycloak-quarkus-dist";
            if ("true".equals(System.getenv("EC_REQUIRE_PEERS"))) {
                throw new IllegalStateException(message + " (EC_REQUIRE_PEERS=true)");
            }
            Assumptions.abort(message);
        }
        return home;
    }

    /** The started server, its CI issuer and the configured realm; closed by JUnit when the run ends. */
    static final class Running implements AutoCloseable {
        final Process process;
        final IssuerServer ci;
        final KeycloakRealm realm;

        private Running(Process process, IssuerServer ci, KeycloakRealm realm) {
            this.process = process;
            this.ci = ci;
            this.realm = realm;
        }

        static Running start(Path home) {
            Process process = null;
            IssuerServer ci = null;
            try {
                build(home);
                ci = new IssuerServer(KeyRing.generate(SigningAlgorithm.RS256, Instant.now()), Clock.systemUTC());
                int port = freePort();
                Path log = home.getParent().resolve("keycloak-" + port + ".log");
                ProcessBuilder builder = new ProcessBuilder(List.of(home.resolve("bin/kc.sh").toString(), "start",
                        "--optimized", "--http-enabled=true", "--hostname-strict=false", "--http-host=127.0.0.1",
                        "--http-port=" + port,
                        // Pin the realm issuer (it follows the Host header otherwise); local cache: no JGroups on non-loopback ports.
                        "--hostname=http://127.0.0.1:" + port, "--cache=local"))
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                environment(builder);
                builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
                builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
                process = builder.start();
                Process started = process;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(started)));
                String base = "http://127.0.0.1:" + port;
                awaitReady(process, base, log);
                KeycloakRealm realm = KeycloakRealm.configure(base, ci);
                return new Running(process, ci, realm);
            } catch (IOException | RuntimeException e) {
                if (process != null) {
                    stop(process);
                }
                if (ci != null) {
                    ci.close();
                }
                throw new IllegalStateException("Keycloak peer did not start: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting Keycloak", e);
            }
        }

        @Override
        public void close() {
            stop(process);
            ci.close();
        }

        /** {@code kc.sh} forks the server JVM: stop the children first, then the script, each by its own handle. */
        private static void stop(Process process) {
            List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
            children.forEach(ProcessHandle::destroy);
            process.destroy();
            for (ProcessHandle child : children) {
                child.onExit().completeOnTimeout(null, 20, TimeUnit.SECONDS).join();
                if (child.isAlive()) {
                    child.destroyForcibly();
                }
            }
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code kc.sh build} once per unpacked tree; a marker records the options it was built with. */
    private static void build(Path home) throws IOException, InterruptedException {
        Path marker = home.resolve(".ec-build");
        if (Files.exists(marker) && Files.readString(marker).equals(BUILD_ARGS)) {
            return;
        }
        Path log = home.getParent().resolve("keycloak-build.log");
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(List.of(BUILD_ARGS.split(" ")));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        environment(builder);
        Process build = builder.start();
        if (!build.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            build.descendants().forEach(ProcessHandle::destroy);
            build.destroyForcibly();
            throw new IOException("kc.sh build took longer than " + BUILD_TIMEOUT + "; see " + log);
        }
        if (build.exitValue() != 0) {
            throw new IOException("kc.sh build failed with exit code " + build.exitValue() + "; see " + log);
        }
        Files.writeString(marker, BUILD_ARGS);
    }

    private static void environment(ProcessBuilder builder) {
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // Bounded heap: the machine is shared, and Keycloak's default takes a share of all RAM.
        builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms128m -Xmx640m");
    }

    private static void awaitReady(Process process, String base, Path log) throws IOException, InterruptedException {
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5)).build();
        Request probe = new Request.Builder().url(base + "/realms/master/.well-known/openid-configuration").build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("Keycloak exited with code " + process.exitValue() + " while starting; see " + log);
            }
            try (Response response = http.newCall(probe).execute()) {
                if (response.code() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("Keycloak was not ready within " + START_TIMEOUT + "; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
