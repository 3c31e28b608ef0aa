package io.github.ephemeralcredentials.service.config;

import io.github.ephemeralcredentials.core.audit.anomaly.Thresholds;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.service.NativeCrypto;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code serve --config FILE} says, checked: where to listen, who the service is, whose CI tokens it accepts,
 * the trust policy, where secrets come from, the shared store and the limits.
 *
 * @param host            the address to listen on
 * @param port            the port to listen on (0: any free one, for tests)
 * @param url             the service's own URL: the {@code aud} CI tokens must carry, and the {@code iss} of the JWTs it
 *                        signs (its discovery document and JWKS are served under it)
 * @param tls             the certificate and key, or {@code null} for plain HTTP (allowed on loopback only)
 * @param trustedIssuers  the CI issuers whose tokens are accepted, exactly as they write {@code iss}
 * @param policy          the trust policy file
 * @param signingKeys     a key ring file ({@code KeyRing} secret JSON) shared by the replicas, or {@code null} for
 *                        keys generated at start (one replica)
 * @param signingAlgorithm the algorithm of keys generated at start: ES256 (default) or EdDSA
 * @param secrets         what a profile's {@code *-env} names resolve to: never the request, only these
 * @param store           {@code memory} or a {@code redis://} URI
 * @param limits          request limits
 * @param introspection   the relying parties that may ask {@code POST /introspect} whether a JWT the service signed is
 *                        still active, by client id
 * @param anomalies       the thresholds of the audit's anomaly signals
 * @param crypto          which provider signs: AWS-LC when it loads ({@code auto}), always ({@code native}) or never
 *                        ({@code jdk}); applied by {@code serve}, see {@link NativeCrypto}
 */
public record ServiceConfig(String host, int port, String url, Tls tls, List<String> trustedIssuers, Path policy,
                            Path signingKeys, SigningAlgorithm signingAlgorithm, Map<String, SecretSource> secrets,
                            String store, Limits limits, Map<String, IntrospectionClient> introspection,
                            Thresholds anomalies, NativeCrypto.Mode crypto) {

    public ServiceConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(url, "url");
        trustedIssuers = List.copyOf(trustedIssuers);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(signingAlgorithm, "signingAlgorithm");
        secrets = Map.copyOf(secrets);
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(limits, "limits");
        introspection = Map.copyOf(introspection);
        Objects.requireNonNull(anomalies, "anomalies");
        Objects.requireNonNull(crypto, "crypto");
    }

    /** PEM files of the server certificate (chain) and its private key. */
    public record Tls(Path certificate, Path key) {
    }

    /** Where one secret comes from: a file the service reads, or one of its environment variables. */
    public record SecretSource(Path file, String environmentVariable) {

        @Override
        public String toString() {
            return file != null ? "file " + file : "environment variable " + environmentVariable;
        }
    }

    /**
     * A relying party that checks the service's JWTs online (RFC 7662), so that a revoked one is refused before its
     * {@code exp}.
     *
     * @param secret   the name, under {@code secrets}, of its client secret (HTTP Basic, RFC 7662 §2.1)
     * @param audience the {@code aud} it serves: it learns only about tokens issued for it
     */
    public record IntrospectionClient(String secret, String audience) {

        public IntrospectionClient {
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(audience, "audience");
        }
    }

    /**
     * @param perSubjectPerMinute exchanges one CI subject may make per minute
     * @param perProfilePerMinute exchanges of one profile per minute, all subjects together
     * @param maxBodyBytes        the largest request body read
     */
    public record Limits(int perSubjectPerMinute, int perProfilePerMinute, int maxBodyBytes) {

        public static final Limits DEFAULT = new Limits(60, 600, 64 * 1024);
    }
}
