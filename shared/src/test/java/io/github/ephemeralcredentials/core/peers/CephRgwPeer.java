package io.github.ephemeralcredentials.core.peers;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningKey;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.io.File;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A real AWS-compatible STS: a throwaway single-node Ceph (Pacific) with RadosGW on loopback, started once per JVM
 * (root store) by {@code peers/ceph-rgw.sh}, plus a CI issuer it trusts — our {@link TokenIssuer} served over HTTP,
 * its JWKS key carrying {@code x5c} (a self-signed certificate) as RadosGW requires. Tests receive a {@link Node}
 * parameter.
 *
 * <p>Skips when the Ceph binaries are absent, unless {@code EC_REQUIRE_PEERS=true}.
 */
public final class CephRgwPeer implements BeforeAllCallback, ParameterResolver {

    public static final String INSTALL = "apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common";
    private static final List<String> BINARIES = List.of("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "monmaptool", "ceph");

    @Override
    public void beforeAll(ExtensionContext context) {
        node(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Node.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return node(context);
    }

    private static Node node(ExtensionContext context) {
        List<String> missing = BINARIES.stream().filter(b -> !onPath(b)).toList();
        if (!missing.isEmpty()) {
            String message = "Ceph RadosGW not installed: " + INSTALL;
            if ("true".equals(System.getenv("EC_REQUIRE_PEERS"))) {
                throw new IllegalStateException(message + " (missing " + missing + "; EC_REQUIRE_PEERS=true)");
            }
            Assumptions.abort(message);
        }
        return context.getRoot().getStore(ExtensionContext.Namespace.create(CephRgwPeer.class))
                .getOrComputeIfAbsent(Node.class, k -> Node.start(), Node.class);
    }

    private static boolean onPath(String binary) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return true;
            }
        }
        return false;
    }

    /** The running gateway, its trusted issuer and what tests need to set roles up and use credentials. */
    public static final class Node implements AutoCloseable {

        public static final String AUDIENCE = "sts-test";

        private final Path script;
        private final Path dir;
        private final int rgwPort;
        private final MockWebServer issuerServer = new MockWebServer();
        private final TokenIssuer issuer;
        private final String adminKey;
        private final String adminSecret;
        private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(20)).build();

        private Node(Path script, Path dir, int rgwPort, KeyRing keys, String adminKey, String adminSecret)
                throws IOException {
            this.script = script;
            this.dir = dir;
            this.rgwPort = rgwPort;
            this.adminKey = adminKey;
            this.adminSecret = adminSecret;
            issuerServer.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String path = request.getUrl().encodedPath();
                    if (path.equals("/issuer/.well-known/openid-configuration")) {
                        return json(issuer().discoveryDocument());
                    }
                    if (path.equals("/issuer/jwks")) {
                        return json(issuer().jwks());
                    }
                    return new MockResponse.Builder().code(404).build();
                }
            });
            issuerServer.start(InetAddress.getLoopbackAddress(), 0);
            String url = issuerServer.url("/issuer").toString();
            this.issuer = new TokenIssuer(url.endsWith("/") ? url.substring(0, url.length() - 1) : url, () -> keys,
                    Clock.systemUTC());
        }

        public static Node start() {
            Path dir = null;
            Path script = null;
            try {
                script = Files.createTempFile("ceph-rgw-", ".sh");
                try (var in = CephRgwPeer.class.getResourceAsStream("/peers/ceph-rgw.sh")) {
                    Files.write(script, in.readAllBytes());
                }
                dir = Files.createTempDirectory("ec-ceph-rgw-");
                int monPort = freePort();
                int rgwPort = freePort();
                run(Duration.ofSeconds(90), "bash", script.toString(), "start", dir.toString(),
                        Integer.toString(monPort), Integer.toString(rgwPort));
                KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
                X509Certificate cert = selfSigned(pair);
                RSAKey jwk = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                        .privateKey((RSAPrivateKey) pair.getPrivate())
                        .keyID("ceph-peer").keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                        .x509CertChain(List.of(Base64.encode(cert.getEncoded())))
                        .build();
                KeyRing keys = new KeyRing(new SigningKey(jwk, Instant.now(), null), List.of());
                String adminKey = random("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20);
                String adminSecret = random("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
                run(Duration.ofSeconds(30), "bash", script.toString(), "admin", dir.toString(), "user", "create",
                        "--uid=sts-admin", "--display-name=STS admin", "--access-key=" + adminKey,
                        "--secret-key=" + adminSecret, "--caps=oidc-provider=*;roles=*;users=*");
                Node node = new Node(script, dir, rgwPort, keys, adminKey, adminSecret);
                node.createOpenIdConnectProvider(HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-1").digest(cert.getEncoded())));
                return node;
            } catch (Exception e) {
                if (dir != null && script != null) {
                    try {
                        run(Duration.ofSeconds(30), "bash", script.toString(), "stop", dir.toString());
                    } catch (Exception stop) {
                        e.addSuppressed(stop);
                    }
                }
                throw new IllegalStateException("the Ceph RadosGW peer did not start: " + e.getMessage(), e);
            }
        }

        public TokenIssuer issuer() {
            return issuer;
        }

        /** The STS (and S3) endpoint. */
        public String endpoint() {
            return "http://127.0.0.1:" + rgwPort + "/";
        }

        /** The provider name Ceph derives from the issuer: its URL without the scheme. */
        public String providerName() {
            return issuer.issuer().replaceFirst("^https?://", "");
        }

        public String mint(String subject) {
            return issuer.mint(subject, List.of(AUDIENCE), Duration.ofMinutes(5), Map.of());
        }

        /** Creates (or replaces) a role the issuer's tokens may assume when their {@code sub} is {@code subject}. */
        public String role(String name, String subject) throws IOException, InterruptedException {
            String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                    + "{\"Federated\":[\"arn:aws:iam:::oidc-provider/" + providerName() + "\"]},"
                    + "\"Action\":[\"sts:AssumeRoleWithWebIdentity\"],\"Condition\":{\"StringEquals\":{\""
                    + providerName() + ":sub\":\"" + subject + "\"}}}]}";
            return roleWithTrust(name, trust);
        }

        /** Creates a role whose trust policy is exactly {@code trustPolicy} (an IAM policy document), allowed S3. */
        public String roleWithTrust(String name, String trustPolicy) throws IOException, InterruptedException {
            admin("role", "create", "--role-name=" + name, "--assume-role-policy-doc=" + trustPolicy);
            admin("role-policy", "put", "--role-name=" + name, "--policy-name=allow-s3", "--policy-doc="
                    + "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\"],"
                    + "\"Resource\":[\"arn:aws:s3:::*\"]}]}");
            return "arn:aws:iam:::role/" + name;
        }

        /** An S3 call on this gateway signed with SigV4 by the given (temporary) credentials: status and body. */
        public S3Answer s3(String method, String path, String accessKeyId, String secret, String sessionToken)
                throws IOException {
            String emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
            SdkHttpRequest unsigned = SdkHttpRequest.builder()
                    .method(SdkHttpMethod.fromValue(method))
                    .uri(URI.create("http://127.0.0.1:" + rgwPort + path))
                    .putHeader("x-amz-content-sha256", emptyHash)
                    .build();
            AwsCredentialsIdentity identity = sessionToken == null
                    ? AwsCredentialsIdentity.create(accessKeyId, secret)
                    : software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity.create(accessKeyId, secret, sessionToken);
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(unsigned)
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false));
            Request.Builder request = new Request.Builder().url(signed.request().getUri().toString())
                    .method(method, method.equals("PUT") ? RequestBody.create(new byte[0]) : null);
            signed.request().headers().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Host")) {
                    values.forEach(v -> request.addHeader(name, v));
                }
            });
            try (Response response = http.newCall(request.build()).execute()) {
                return new S3Answer(response.code(), response.body().string());
            }
        }

        public record S3Answer(int status, String body) {
        }

        private void createOpenIdConnectProvider(String thumbprint) throws IOException {
            byte[] body = ("Action=CreateOpenIDConnectProvider&Version=2010-05-08&Url=" + enc(issuer.issuer())
                    + "&ClientIDList.member.1=" + enc(AUDIENCE) + "&ThumbprintList.member.1=" + thumbprint)
                    .getBytes(StandardCharsets.UTF_8);
            String contentType = "application/x-www-form-urlencoded; charset=utf-8";
            SdkHttpRequest unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create(endpoint()))
                    .putHeader("Content-Type", contentType).build();
            SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                    .identity(AwsCredentialsIdentity.create(adminKey, adminSecret)).request(unsigned)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "iam")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
            Request.Builder request = new Request.Builder().url(endpoint())
                    .post(RequestBody.create(body, MediaType.get(contentType)));
            signed.request().headers().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("Host")) {
                    values.forEach(v -> request.addHeader(name, v));
                }
            });
            try (Response response = http.newCall(request.build()).execute()) {
                if (response.code() != 200) {
                    throw new IOException("CreateOpenIDConnectProvider answered HTTP " + response.code() + ": "
                            + response.body().string());
                }
            }
        }

        private void admin(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("bash", script.toString(), "admin", dir.toString()));
            command.addAll(List.of(args));
            run(Duration.ofSeconds(30), command.toArray(String[]::new));
        }

        private static String enc(String s) {
            return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
        }

        private static MockResponse json(String body) {
            return new MockResponse.Builder().setHeader("Content-Type", "application/json").body(body).build();
        }

        private static void run(Duration timeout, String... command) throws IOException, InterruptedException {
            Path output = Files.createTempFile("ceph-rgw-cmd-", ".log");
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(command[2] + " " + command[3] + " timed out after " + timeout.toSeconds()
                            + " s: " + Files.readString(output));
                }
                if (p.exitValue() != 0) {
                    throw new IOException(String.join(" ", List.of(command).subList(2, Math.min(6, command.length)))
                            + " failed (exit " + p.exitValue() + "): " + Files.readString(output));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        private static String random(String alphabet, int length) {
            SecureRandom random = new SecureRandom();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < length; i++) {
                out.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return out.toString();
        }

        private static X509Certificate selfSigned(KeyPair pair) throws Exception {
            X500Name name = new X500Name("CN=ephemeral-credentials ceph peer issuer");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    java.util.Date.from(now.minus(Duration.ofMinutes(5))), java.util.Date.from(now.plus(Duration.ofDays(1))),
                    name, pair.getPublic());
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        }

        @Override
        public void close() throws Exception {
            issuerServer.close();
            run(Duration.ofSeconds(60), "bash", script.toString(), "stop", dir.toString());
            Files.deleteIfExists(script);
        }
    }
}
