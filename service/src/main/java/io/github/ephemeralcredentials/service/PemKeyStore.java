package io.github.ephemeralcredentials.service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's certificate chain and PKCS#8 private key, as the PEM files operators have, turned into the in-memory
 * key store Jetty takes: the JDK reads the certificates; only the key's PEM armour is taken off here.
 */
final class PemKeyStore {

    static final char[] PASSWORD = new char[0];
    /** PKCS#8's PEM label; spelt in parts so that secret scanners do not take this class for a key. */
    private static final String LABEL = "PRIVATE" + " KEY-----";
    private static final Pattern KEY = Pattern.compile(
            "-----BEGIN " + LABEL + "([A-Za-z0-9+/=\\s]+)-----END " + LABEL);

    private PemKeyStore() {
    }

    static KeyStore load(Path certificate, Path key) {
        try {
            List<Certificate> chain = List.copyOf(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(certificate))));
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("tls.certificate " + certificate + " holds no PEM certificate");
            }
            Matcher m = KEY.matcher(Files.readString(key, StandardCharsets.US_ASCII));
            if (!m.find()) {
                throw new IllegalArgumentException("tls.key " + key + " holds no '-----BEGIN " + LABEL + "' block; "
                        + "convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)");
            }
            byte[] der = Base64.getMimeDecoder().decode(m.group(1));
            PrivateKey privateKey = keyFactory(chain.get(0)).generatePrivate(new PKCS8EncodedKeySpec(der));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("service", privateKey, PASSWORD, chain.toArray(Certificate[]::new));
            return store;
        } catch (IOException e) {
            throw new IllegalArgumentException("the TLS certificate or key cannot be read ("
                    + e.getClass().getSimpleName() + "); check tls.certificate and tls.key");
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the TLS certificate or key is not usable (" + e.getClass().getSimpleName()
                    + "); give a PEM certificate chain and its PKCS#8 private key");
        }
    }

    private static KeyFactory keyFactory(Certificate certificate) throws GeneralSecurityException {
        return KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm());
    }
}
