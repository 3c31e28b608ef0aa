package io.github.ephemeralcredentials.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Keycloak 26 from its Maven Central distribution, set up as PEERS.md and the core's {@code KeycloakRealm} do for the
 * RFC 7523 jwt-bearer grant: an identity provider ({@code jwt-authorization-grant}) trusting the CI issuer's JWKS
 * with assertion reuse refused, a confidential client allowed the grant, and one user linked to each CI subject the
 * benchmark's tokens carry. Started on an emptied dev-file database each time, so earlier runs leave nothing behind.
 */
final class KeycloakProcess implements AutoCloseable {

    static final String CLIENT = "ci-bearer";
    static final String BUILD_ARGS = "--db=dev-file";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient ADMIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final String base;
    private final String realm;
    private final String secret;

    private KeycloakProcess(Process process, String base, String realm, String secret) {
        this.process = process;
        this.base = base;
        this.realm = realm;
        this.secret = secret;
    }

    /**
     * @param javaHome  the JDK Keycloak runs on
     * @param heap      Keycloak's heap options ({@code JAVA_OPTS_KC_HEAP})
     * @param subjects  the CI subjects to link to users
     */
    static KeycloakProcess start(Path dist, Path javaHome, String heap, CiIssuer ci, List<String> subjects)
            throws IOException, InterruptedException {
        Path home = dist.toAbsolutePath();
        build(home, javaHome);
        deleteDatabase(home);
        int port = Processes.freePort();
        String base = "http://127.0.0.1:" + port;
        Path log = home.getParent().resolve("keycloak-bench.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(home.resolve("bin/kc.sh").toString(), "start",
                "--optimized", "--http-enabled=true", "--hostname-strict=false", "--http-host=127.0.0.1",
                "--http-port=" + port, "--hostname=" + base, "--cache=local"))
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        environment(builder, javaHome, heap);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        Process process = Processes.start(builder);
        try {
            Processes.awaitOk(process, base + "/realms/master/.well-known/openid-configuration",
                    Duration.ofMinutes(4), log);
            String realm = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            String secret = "bench-secret-" + UUID.randomUUID();
            createRealm(base, realm, secret, ci, subjects);
            return new KeycloakProcess(process, base, realm, secret);
        } catch (IOException | RuntimeException e) {
            Processes.stop(process);
            throw e;
        }
    }

    /** {@code kc.sh build} once per unpacked tree; a marker records the options it was built with. */
    private static void build(Path home, Path javaHome) throws IOException, InterruptedException {
        Path marker = home.resolve(".ec-bench-build");
        if (Files.exists(marker) && Files.readString(marker).equals(BUILD_ARGS)) {
            return;
        }
        System.err.println("service-load: kc.sh build " + BUILD_ARGS + " (once per unpacked Keycloak, about a minute)");
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(List.of(BUILD_ARGS.split(" ")));
        Path log = home.getParent().resolve("keycloak-build.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        environment(builder, javaHome, "-Xmx512m");
        Process build = builder.start();
        if (!build.waitFor(6, TimeUnit.MINUTES) || build.exitValue() != 0) {
            build.destroyForcibly();
            throw new IOException("kc.sh build failed or took longer than 6 minutes; see " + log);
        }
        Files.writeString(marker, BUILD_ARGS);
    }

    private static void deleteDatabase(Path home) throws IOException {
        Path data = home.resolve("data/h2");
        if (Files.isDirectory(data)) {
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    private static void environment(ProcessBuilder builder, Path javaHome, String heap) {
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("JAVA_OPTS_KC_HEAP", heap);
    }

    /** One admin call: the realm with its identity provider, client and linked users, imported whole. */
    private static void createRealm(String base, String realm, String secret, CiIssuer ci, List<String> subjects)
            throws IOException, InterruptedException {
        List<Map<String, Object>> users = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            users.add(Map.of("username", "ci-" + i, "enabled", true, "federatedIdentities", List.of(Map.of(
                    "identityProvider", "ci-jwt", "userId", subjects.get(i), "userName", subjects.get(i)))));
        }
        Map<String, Object> representation = Map.of("realm", realm, "enabled", true, "sslRequired", "none",
                "accessTokenLifespan", 300,
                "identityProviders", List.of(Map.of("alias", "ci-jwt", "providerId", "jwt-authorization-grant",
                        "enabled", true, "config", Map.of("issuer", ci.url(), "useJwksUrl", "true",
                                "jwksUrl", ci.jwksUri(), "jwtAuthorizationGrantEnabled", "true",
                                "jwtAuthorizationGrantAssertionReuseAllowed", "false",
                                "jwtAuthorizationGrantMaxAllowedAssertionExpiration", "300"))),
                "clients", List.of(Map.of("clientId", CLIENT, "enabled", true, "publicClient", false,
                        "clientAuthenticatorType", "client-secret", "secret", secret,
                        "standardFlowEnabled", false, "directAccessGrantsEnabled", false,
                        "serviceAccountsEnabled", false, "attributes", Map.of(
                                "oauth2.jwt.authorization.grant.enabled", "true",
                                "oauth2.jwt.authorization.grant.idp", "ci-jwt"))),
                "users", users);
        HttpRequest create = HttpRequest.newBuilder(URI.create(base + "/admin/realms"))
                .header("Authorization", "Bearer " + adminToken(base))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(representation))).build();
        HttpResponse<String> answer = ADMIN.send(create, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 201) {
            throw new IOException("creating the realm answered HTTP " + answer.statusCode() + ": " + answer.body());
        }
    }

    private static String adminToken(String base) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofMinutes(1))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin"
                        + "&password=admin")).build();
        HttpResponse<String> answer = ADMIN.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("the admin token request answered HTTP " + answer.statusCode());
        }
        JsonNode token = JSON.readTree(answer.body()).path("access_token");
        return token.asText();
    }

    /** The realm's issuer: the {@code aud} its jwt-bearer grant requires of an assertion. */
    String issuer() {
        return base + "/realms/" + realm;
    }

    String tokenEndpoint() {
        return issuer() + "/protocol/openid-connect/token";
    }

    String clientSecret() {
        return secret;
    }

    static String form(String assertion) {
        return "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                + "&assertion=" + assertion;
    }

    /** The server JVM: {@code kc.sh} forks it, so the script's own PID would measure a shell. */
    long serverPid() {
        return process.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().map(ProcessHandle::pid).orElse(process.pid());
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
