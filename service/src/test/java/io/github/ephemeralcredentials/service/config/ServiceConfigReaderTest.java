package io.github.ephemeralcredentials.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.oidc.KnownIssuers;
import io.github.ephemeralcredentials.core.policy.PolicyException;
import io.github.ephemeralcredentials.core.policy.PolicyProblem;
import io.github.ephemeralcredentials.service.NativeCrypto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.github.ephemeralcredentials.core.audit.anomaly.Thresholds;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigReaderTest {

    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "version: 1\n");
        Path file = Files.writeString(dir.resolve("service.yaml"), yaml);
        try {
            ServiceConfigReader.read(file);
            return List.of();
        } catch (PolicyException e) {
            return e.problems().stream().map(PolicyProblem::toString).toList();
        }
    }

    @Test
    void theExampleConfigurationReads() {
        ServiceConfig config = ServiceConfigReader.read(Path.of("..", "examples", "service", "service.yaml"));

        assertThat(config.url()).isEqualTo("http://127.0.0.1:8080");
        assertThat(config.trustedIssuers()).containsExactly(KnownIssuers.GITHUB_ACTIONS);
        assertThat(config.policy().getFileName().toString()).isEqualTo("policy.yaml");
        assertThat(config.store()).isEqualTo("memory");
        assertThat(config.port()).isEqualTo(8080);
    }

    @Test
    void everyProblemIsReportedAtItsPositionWithWhatToWrite() throws Exception {
        String service = dir.resolve("service.yaml").toString();
        assertThat(problems("""
                listen: 0.0.0.0:8080
                url: http://exchange.example.com
                trust: [https://gitlab.com/]
                policy: missing.yaml
                stor: memory
                secrets:
                  KEY: {file: nowhere.pem, env: X}
                limits: {per-subject-per-minute: -1}
                """)).containsExactlyInAnyOrder(
                service + ":5:1: unknown key 'stor' in the configuration (did you mean 'store'?); it takes anomalies, crypto, introspection, limits, listen, policy, secrets, signing-algorithm, signing-keys, store, tls, trust, url",
                service + ":2:6: 'url': issuer URL 'http://exchange.example.com' must use https: cloud providers fetch the discovery document and keys only over https",
                service + ":3:9: 'trust': issuer URL 'https://gitlab.com/' ends with '/'; relying parties compare issuers exactly, so write it without the trailing slash",
                service + ":4:9: 'policy' names " + dir.resolve("missing.yaml") + ", which is not a regular file (missing, a directory or a link); give the file itself",
                service + ":7:8: secret 'KEY' takes exactly one of file or env",
                service + ":8:34: 'per-subject-per-minute' must be a whole number from 1 to 1000000",
                service + ":1:1: the service listens on 0.0.0.0 without 'tls': CI tokens and credentials would cross the network in clear; add tls: {certificate: FILE, key: FILE}, or listen on 127.0.0.1 behind a proxy that terminates TLS");
    }

    @Test
    void anomalyThresholdsDefaultAndAreReadByNameWithEachBadValueReported() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "version: 1\n");
        Path plain = Files.writeString(dir.resolve("plain.yaml"), "url: http://127.0.0.1:8080\ntrust: [https://token.actions.githubusercontent.com]\npolicy: policy.yaml\n");
        assertThat(ServiceConfigReader.read(plain).anomalies()).isEqualTo(Thresholds.DEFAULT);

        Path tuned = Files.writeString(dir.resolve("tuned.yaml"), """
                url: http://127.0.0.1:8080
                trust: [https://token.actions.githubusercontent.com]
                policy: policy.yaml
                anomalies: {denial-burst: 3, denial-window: 5m, rate-factor: 8, max-subjects: 500, forget-after: P7D}
                """);
        Thresholds t = ServiceConfigReader.read(tuned).anomalies();
        assertThat(t.denialBurst()).isEqualTo(3);
        assertThat(t.denialWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.rateFactor()).isEqualTo(8.0);
        assertThat(t.maxSubjects()).isEqualTo(500);
        assertThat(t.forgetAfter()).isEqualTo(Duration.ofDays(7));
        assertThat(t.rateWindow()).isEqualTo(Thresholds.DEFAULT.rateWindow());

        String service = dir.resolve("service.yaml").toString();
        assertThat(problems("""
                url: http://127.0.0.1:8080
                trust: [https://token.actions.githubusercontent.com]
                policy: policy.yaml
                anomalies: {denial-burst: 0, rate-window: soon, rate-factor: 1, max-subject: 5}
                """)).containsExactlyInAnyOrder(
                service + ":4:65: unknown key 'max-subject' in 'anomalies' (did you mean 'max-subjects'?); it takes denial-burst, denial-window, forget-after, max-profiles, max-subjects, rate-factor, rate-history, rate-minimum, rate-window",
                service + ":4:27: 'denial-burst' must be a whole number from 1 to 100000",
                service + ":4:43: 'rate-window' is 'soon'; write a positive duration such as 10m, 1h or P30D",
                service + ":4:62: 'rate-factor' must be a number above 1 and at most 1000, e.g. 5");
    }

    @Test
    void cryptoDefaultsToAutoAndTakesOnlyItsThreeValues() throws Exception {
        Files.writeString(dir.resolve("policy.yaml"), "version: 1\n");
        String base = "url: http://127.0.0.1:8080\ntrust: [https://token.actions.githubusercontent.com]\npolicy: policy.yaml\n";
        assertThat(ServiceConfigReader.read(Files.writeString(dir.resolve("plain.yaml"), base)).crypto())
                .isEqualTo(NativeCrypto.Mode.AUTO);
        assertThat(ServiceConfigReader.read(Files.writeString(dir.resolve("jdk.yaml"), base + "crypto: jdk\n")).crypto())
                .isEqualTo(NativeCrypto.Mode.JDK);
        assertThat(ServiceConfigReader.read(Files.writeString(dir.resolve("native.yaml"), base + "crypto: native\n"))
                .crypto()).isEqualTo(NativeCrypto.Mode.NATIVE);

        String service = dir.resolve("service.yaml").toString();
        assertThat(problems(base + "crypto: fast\n")).containsExactly(service + ":4:9: 'crypto' is 'fast'; write auto "
                + "(AWS-LC when it loads, the default), native (AWS-LC or refuse to start) or jdk");
    }

    @Test
    void hostileFilesAreRefusedWithAMessage() throws Exception {
        Path aliases = Files.writeString(dir.resolve("bomb.yaml"), "a: &a [x, x, x, x, x, x, x, x]\n"
                + "b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
                + "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n");
        assertThatThrownBy(() -> ServiceConfigReader.read(aliases)).isInstanceOf(PolicyException.class);
        Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), aliases);
        assertThatThrownBy(() -> ServiceConfigReader.read(Path.of("/dev/zero"))).isInstanceOf(PolicyException.class)
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> ServiceConfigReader.read(dir.resolve("absent.yaml")))
                .hasMessageContaining("no such file");
        assertThat(link).exists();
        Path huge = Files.writeString(dir.resolve("huge.yaml"), "url: " + "x".repeat(ServiceConfigReader.MAX_BYTES));
        assertThatThrownBy(() -> ServiceConfigReader.read(huge)).hasMessageContaining("larger than");
    }
}
