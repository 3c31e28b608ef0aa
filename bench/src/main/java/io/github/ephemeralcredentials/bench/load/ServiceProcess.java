package io.github.ephemeralcredentials.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The token-exchange service as its own JVM, {@code java -jar ephemeral-credentials.jar serve --config FILE}: on
 * loopback, trusting the benchmark's CI issuer, with the benchmark's policy, the given store and limits high enough
 * never to throttle. Its audit trail (stdout) is discarded; its log goes to a file.
 */
final class ServiceProcess implements AutoCloseable {

    private final Process process;
    private final String url;

    private ServiceProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    static ServiceProcess start(Path java, List<String> jvmOptions, Path jar, Path dir, String issuer, String store)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = Processes.freePort();
        String url = "http://127.0.0.1:" + port;
        Files.writeString(dir.resolve("policy.yaml"), policy().replace("ISSUER", issuer).replace("SERVICE_URL", url));
        Files.writeString(dir.resolve("service.yaml"), String.join("\n",
                "listen: 127.0.0.1:" + port,
                "url: " + url,
                "trust: [" + issuer + "]",
                "policy: policy.yaml",
                "store: " + store,
                "limits: {per-subject-per-minute: 1000000, per-profile-per-minute: 10000000}",
                ""));
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "serve", "--config", dir.resolve("service.yaml").toString()));
        Path log = dir.resolve("service.log");
        Process process = Processes.start(new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()));
        try {
            Processes.awaitOk(process, url + "/healthz", Duration.ofSeconds(60), log);
        } catch (IOException | RuntimeException e) {
            Processes.stop(process);
            throw e;
        }
        return new ServiceProcess(process, url);
    }

    private static String policy() throws IOException {
        try (InputStream in = ServiceProcess.class.getResourceAsStream("/service-load/policy.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
