package io.github.ephemeralcredentials.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** The JDK's trusted CAs plus those of a PEM bundle, as one trust manager. */
final class TrustBundle {

    private TrustBundle() {
    }

    record Tls(SSLContext context, X509TrustManager trustManager) {
    }

    static Tls withExtra(Path pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (X509Certificate ca : defaultTrustManager(null).getAcceptedIssuers()) {
                store.setCertificateEntry("jdk-" + n++, ca);
            }
            Collection<? extends Certificate> extra;
            try (InputStream in = Files.newInputStream(pem)) {
                extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (extra.isEmpty()) {
                throw new IllegalArgumentException("CA bundle " + pem + " holds no PEM certificate; it must contain "
                        + "'-----BEGIN CERTIFICATE-----' blocks");
            }
            int e = 0;
            for (Certificate ca : extra) {
                store.setCertificateEntry("extra-" + e++, ca);
            }
            X509TrustManager trustManager = defaultTrustManager(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return new Tls(context, trustManager);
        } catch (IOException e) {
            throw new IllegalArgumentException("CA bundle " + pem + " cannot be read: " + e.getMessage()
                    + "; check the path and that it is a PEM file", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("CA bundle " + pem + " is not a valid PEM certificate bundle: "
                    + e.getMessage(), e);
        }
    }

    private static X509TrustManager defaultTrustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IllegalStateException("the JDK offers no X.509 trust manager");
    }
}
