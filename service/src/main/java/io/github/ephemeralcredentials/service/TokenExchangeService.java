package io.github.ephemeralcredentials.service;

import io.github.ephemeralcredentials.core.audit.JsonLinesAuditWriter;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.JwksCache;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.core.oidc.TrustedIssuers;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.service.config.ServiceConfig;
import io.github.ephemeralcredentials.service.state.SharedState;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The token-exchange service: the core's one exchange behind {@code POST /token}, on an embedded Jetty. It holds
 * what no job may (the policy's enforcement, GitHub App keys, its own signing keys) and verifies every CI token
 * before anything else is decided.
 */
public final class TokenExchangeService implements AutoCloseable {

    /** How long a stop waits for the requests in flight to finish. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private final Server server;
    private final SharedState state;
    private final PolicyReload reload;
    private final URI uri;
    private final Path files;

    private TokenExchangeService(Server server, SharedState state, PolicyReload reload, URI uri, Path files) {
        this.server = server;
        this.state = state;
        this.reload = reload;
        this.uri = uri;
        this.files = files;
    }

    /** Checks the policy file now (SIGHUP), instead of at the next periodic check. */
    public void reloadPolicy() {
        reload.now();
    }

    /**
     * Starts the service.
     *
     * @param state       the replay and rate-limit store the configuration names (the caller opens it)
     * @param environment the service's own environment, for secrets configured as {@code env:}
     * @param auditOut    where the audit trail goes, one JSON line per exchange (stdout in production)
     * @throws io.github.ephemeralcredentials.core.policy.PolicyException when the trust policy is invalid
     */
    public static TokenExchangeService start(ServiceConfig config, SharedState state,
                                             Function<String, String> environment, OutputStream auditOut, Clock clock)
            throws Exception {
        Objects.requireNonNull(state, "state");
        byte[] policyBytes = Files.readAllBytes(config.policy());
        Policy policy = PolicyLoader.load(config.policy(), Providers.descriptors());
        OkHttpClient http = HttpClients.create(HttpSettings.DEFAULT);
        JwksCache jwks = new JwksCache(http, JwksCache.Settings.DEFAULT, clock);
        TrustedIssuers issuers = new TrustedIssuers(config.trustedIssuers(), jwks, clock);
        KeyRing keys = config.signingKeys() == null ? KeyRing.generate(config.signingAlgorithm(), clock.instant())
                : KeyRing.fromSecretJson(Files.readString(config.signingKeys()));
        TokenIssuer signer = new TokenIssuer(config.url(), () -> keys, clock);
        ServiceSecrets secrets = new ServiceSecrets(config.secrets(), environment);
        // Files a profile asks for (an AWS credentials file, say) serve no client of the service; they go to a
        // private directory that leaves with the service.
        Path files = Files.createTempDirectory("ephemeral-credentials-service");
        Map<String, CredentialProvider> providers = Providers.standard(http, Retries.DEFAULT, secrets,
                CredentialsFileHost.privateIn(files), clock, signer);
        ServiceMetrics metrics = new ServiceMetrics(java.util.Set.copyOf(config.trustedIssuers()), issuer -> jwks
                .fetchedAt(issuer).map(at -> (double) Duration.between(at, clock.instant()).toSeconds())
                .orElse(Double.NaN));
        OwnTokens own = new OwnTokens(signer, state, config.introspection(), secrets, clock);
        TokenEndpoint tokens = new TokenEndpoint(policy, issuers, config.url(), state, providers, config.limits(),
                new JsonLinesAuditWriter(auditOut), metrics, own, clock, new io.github.ephemeralcredentials.core.audit.anomaly.AnomalyDetector(config.anomalies()));

        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("ec-service");
        Server server = new Server(threads);
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendDateHeader(true);
        httpConfig.setRequestHeaderSize(8 * 1024);
        // One selector per core: an exchange that waits on nothing runs on the selector that read it (HttpFront), so
        // Jetty's default of one selector on two cores would leave a core idle.
        int selectors = Math.max(1, Runtime.getRuntime().availableProcessors());
        ServerConnector connector;
        if (config.tls() != null) {
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(PemKeyStore.load(config.tls().certificate(), config.tls().key()));
            tls.setKeyStorePassword("");
            tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            httpConfig.addCustomizer(new SecureRequestCustomizer());
            connector = new ServerConnector(server, 1, selectors, new SslConnectionFactory(tls, "http/1.1"),
                    new HttpConnectionFactory(httpConfig));
        } else {
            connector = new ServerConnector(server, 1, selectors, new HttpConnectionFactory(httpConfig));
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        // A slow client (or a held-open connection) cannot pin a thread longer than this.
        connector.setIdleTimeout(10_000);
        server.addConnector(connector);
        int maxBody = config.limits().maxBodyBytes();
        // Body limits are HttpFront's (declared length) and the form parser's (streamed bodies), so that an oversized
        // request still gets an RFC 6749 JSON error rather than a server page.
        server.setHandler(new GracefulHandler(new HttpFront(tokens, own, signer, state, metrics, maxBody)));
        server.setStopTimeout(GRACE.toMillis());
        server.start();
        PolicyReload reload = new PolicyReload(config.policy(), policyBytes, tokens::policy, System.err);
        String scheme = config.tls() != null ? "https" : "http";
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return new TokenExchangeService(server, state, reload,
                URI.create(scheme + "://" + host + ":" + connector.getLocalPort()), files);
    }

    /** Where the service listens (the actual port when the configuration asked for 0). */
    public URI uri() {
        return uri;
    }

    /** Where providers write files a profile asks for; removed when the service stops. */
    Path privateDirectory() {
        return files;
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops accepting, finishes the requests in flight (up to {@link #GRACE}), then closes the store. */
    @Override
    public void close() {
        reload.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the service did not stop cleanly: " + e.getClass().getSimpleName(), e);
        } finally {
            state.close();
            try {
                CredentialsFileHost.deleteTree(files);
            } catch (java.io.IOException e) {
                System.err.println("ephemeral-credentials serve: could not remove its private directory " + files
                        + " (" + e.getClass().getSimpleName() + ")");
            }
        }
    }
}
