package io.github.ephemeralcredentials.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;

class TlsOnDemandTest {

    private static final HttpSettings FAST = new HttpSettings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5));

    private static TlsOnDemand router(OkHttpClient client) {
        for (Interceptor interceptor : client.interceptors()) {
            if (interceptor instanceof TlsOnDemand tls) {
                return tls;
            }
        }
        throw new AssertionError("no TlsOnDemand in " + client.interceptors());
    }

    @Test
    void plainHttpNeverSetsUpTls() throws Exception {
        try (MockWebServer http = new MockWebServer()) {
            http.start(InetAddress.getLoopbackAddress(), 0);
            http.enqueue(new MockResponse.Builder().body("plain").build());
            OkHttpClient client = HttpClients.create(FAST);
            try (Response r = client.newCall(new Request.Builder().url(http.url("/")).build()).execute()) {
                assertThat(r.body().string()).isEqualTo("plain");
            }
            assertThat(router(client).tlsBuilt()).isFalse();
        }
    }

    @Test
    void httpsIsVerifiedAgainstThePlatformTrustOnFirstUse() throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("Untrusted CA").build();
        HeldCertificate server = new HeldCertificate.Builder().signedBy(ca).addSubjectAlternativeName("localhost")
                .addSubjectAlternativeName("127.0.0.1").build();
        HandshakeCertificates serverTls = new HandshakeCertificates.Builder().heldCertificate(server).build();
        try (MockWebServer https = new MockWebServer()) {
            https.useHttps(serverTls.sslSocketFactory());
            https.start(InetAddress.getLoopbackAddress(), 0);
            https.enqueue(new MockResponse.Builder().body("must not be read").build());
            OkHttpClient client = HttpClients.create(FAST);
            assertThat(router(client).tlsBuilt()).isFalse();

            // A CA the JDK does not trust is refused: the deferred TLS is the platform's, not a permissive one.
            assertThatThrownBy(() -> client.newCall(new Request.Builder().url(https.url("/")).build()).execute())
                    .isInstanceOf(SSLHandshakeException.class);
            assertThat(router(client).tlsBuilt()).isTrue();
        }
    }
}
