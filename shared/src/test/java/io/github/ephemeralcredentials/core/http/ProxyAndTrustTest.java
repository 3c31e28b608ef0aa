package io.github.ephemeralcredentials.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyAndTrustTest {

    private static final HttpSettings FAST = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5));

    @Test
    void readsProxyVariablesLikeCurl() {
        ProxyConfig env = ProxyConfig.fromEnvironment(Map.of("HTTPS_PROXY", "proxy.corp:3128",
                "https_proxy", "http://lower.corp:8080", "HTTP_PROXY", "http://plain.corp:80",
                "NO_PROXY", "localhost, .internal.example,10.0.0.1 vault.example.com:8200"));
        assertThat(env.httpsProxy()).isEqualTo(URI.create("http://lower.corp:8080"));
        assertThat(env.httpProxy()).isEqualTo(URI.create("http://plain.corp:80"));
        assertThat(env.bypasses("localhost", 443)).isTrue();
        assertThat(env.bypasses("a.internal.example", 443)).isTrue();
        assertThat(env.bypasses("internal.example", 443)).isTrue();
        assertThat(env.bypasses("notinternal.example", 443)).isFalse();
        assertThat(env.bypasses("10.0.0.1", 80)).isTrue();
        assertThat(env.bypasses("vault.example.com", 8200)).isTrue();
        assertThat(env.bypasses("vault.example.com", 443)).isFalse();
        assertThat(env.bypasses("sts.amazonaws.com", 443)).isFalse();
        assertThat(ProxyConfig.fromEnvironment(Map.of("NO_PROXY", "*", "HTTPS_PROXY", "http://p:1")).bypasses("x", 1)).isTrue();

        List<Proxy> chosen = env.selector().select(URI.create("https://sts.amazonaws.com/"));
        assertThat(chosen.get(0).address().toString()).contains("lower.corp").contains("8080");
        assertThat(env.selector().select(URI.create("https://x.internal.example/"))).containsExactly(Proxy.NO_PROXY);
        assertThat(ProxyConfig.NONE.selector()).isNull();
    }

    @Test
    void neverPrintsProxyCredentials() {
        ProxyConfig config = ProxyConfig.explicit(URI.create("http://user:pa55word@proxy.corp:3128"), List.of());
        assertThat(config.toString()).doesNotContain("pa55word").contains("****@proxy.corp:3128");
        assertThatThrownBy(() -> ProxyConfig.explicit(URI.create("socks5://user:pa55word@p:1"), List.of()))
                .hasMessageNotContaining("pa55word").hasMessageContaining("http://");
    }

    @Test
    void sendsRequestsThroughTheExplicitProxyWithItsCredentials() throws Exception {
        try (MockWebServer proxy = new MockWebServer()) {
            proxy.start(InetAddress.getLoopbackAddress(), 0);
            proxy.enqueue(new MockResponse.Builder().code(407).setHeader("Proxy-Authenticate", "Basic realm=\"p\"").build());
            proxy.enqueue(new MockResponse.Builder().body("via proxy").build());
            URI proxyUri = URI.create("http://ci:s3cret@127.0.0.1:" + proxy.getPort());
            OkHttpClient client = HttpClients.create(FAST.withProxy(ProxyConfig.explicit(proxyUri, List.of())));
            try (Response r = client.newCall(new Request.Builder().url("http://sts.example.invalid/x").build()).execute()) {
                assertThat(r.body().string()).isEqualTo("via proxy");
            }
            RecordedRequest first = proxy.takeRequest();
            assertThat(first.getRequestLine()).isEqualTo("GET http://sts.example.invalid/x HTTP/1.1");
            RecordedRequest second = proxy.takeRequest();
            assertThat(second.getHeaders().get("Proxy-Authorization")).isEqualTo(okhttp3.Credentials.basic("ci", "s3cret"));
        }
    }

    @Test
    void trustsAnExtraCaBundleOnTopOfTheJdks(@TempDir Path dir) throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("Test CA").build();
        HeldCertificate server = new HeldCertificate.Builder().signedBy(ca).addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("127.0.0.1").build();
        HandshakeCertificates serverTls = new HandshakeCertificates.Builder().heldCertificate(server).build();
        try (MockWebServer https = new MockWebServer()) {
            https.useHttps(serverTls.sslSocketFactory());
            https.start(InetAddress.getLoopbackAddress(), 0);
            https.enqueue(new MockResponse.Builder().body("trusted").build());
            Request request = new Request.Builder().url(https.url("/")).build();

            assertThatThrownBy(() -> HttpClients.create(FAST).newCall(request).execute())
                    .isInstanceOf(SSLHandshakeException.class);

            Path pem = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
            try (Response r = HttpClients.create(FAST.withExtraCaBundle(pem)).newCall(request).execute()) {
                assertThat(r.body().string()).isEqualTo("trusted");
                assertThat(r.protocol()).as("the server offers HTTP/2 through ALPN").isEqualTo(Protocol.HTTP_2);
            }
            https.enqueue(new MockResponse.Builder().body("trusted").build());
            try (Response r = HttpClients.create(FAST.withExtraCaBundle(pem).withoutHttp2()).newCall(request)
                    .execute()) {
                assertThat(r.body().string()).isEqualTo("trusted");
                assertThat(r.protocol()).isEqualTo(Protocol.HTTP_1_1);
            }
        }
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here");
        assertThatThrownBy(() -> HttpClients.create(FAST.withExtraCaBundle(empty)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty.pem");
    }

    /** The TLS client that {@link TlsOnDemand} builds later is made from these settings, protocols included. */
    @Test
    void withoutHttp2TheClientOffersOnlyHttp11() {
        assertThat(HttpClients.create(FAST.withoutHttp2()).protocols()).containsExactly(Protocol.HTTP_1_1);
        assertThat(HttpClients.create(FAST).protocols()).contains(Protocol.HTTP_2);
        assertThat(FAST.withoutHttp2().withProxy(ProxyConfig.NONE).withExtraCaBundle(null).http2())
                .as("kept through the other settings").isFalse();
    }

    @Test
    void proxyGivenAsHostPortWithWildcardExceptions() {
        ProxyConfig proxy = ProxyConfig.hostAndPort("proxy.corp", 3128, "ci", "s3cret:pw", "*.corp.example, localhost|10.0.0.5\n*");

        assertThat(proxy.httpsProxy().getHost()).isEqualTo("proxy.corp");
        assertThat(proxy.httpsProxy().getPort()).isEqualTo(3128);
        assertThat(proxy.httpsProxy().getUserInfo()).isEqualTo("ci:s3cret:pw");
        assertThat(proxy.noProxy()).containsExactly(".corp.example", "localhost", "10.0.0.5", "*");
        assertThat(proxy.toString()).doesNotContain("s3cret");
        assertThat(ProxyConfig.hostAndPort("p", 8080, null, null, "*.corp.example").bypasses("git.corp.example", 443)).isTrue();
        assertThat(ProxyConfig.hostAndPort("p", 8080, null, null, "*.corp.example").bypasses("sts.amazonaws.com", 443)).isFalse();
        assertThat(ProxyConfig.hostAndPort("p", 8080, null, null, null).httpsProxy().getUserInfo()).isNull();
        assertThatThrownBy(() -> ProxyConfig.hostAndPort("p", 8080, null, null, "10.0.*"))
                .hasMessageContaining("'10.0.*'");
        assertThatThrownBy(() -> ProxyConfig.hostAndPort(" ", 8080, null, null, null)).hasMessageContaining("host");
        assertThatThrownBy(() -> ProxyConfig.hostAndPort("p", 0, null, null, null)).hasMessageContaining("port");
    }
}
