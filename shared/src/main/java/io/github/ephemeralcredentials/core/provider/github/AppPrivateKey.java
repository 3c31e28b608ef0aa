package io.github.ephemeralcredentials.core.provider.github;

import io.github.ephemeralcredentials.core.provider.Parameters;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * Reads a GitHub App's private key from PEM text. GitHub hands out PKCS#1 ({@code BEGIN RSA PRIVATE KEY}); keys
 * converted with {@code openssl pkcs8 -nocrypt} are PKCS#8 ({@code BEGIN PRIVATE KEY}); both are read. The JDK only
 * reads PKCS#8, so a PKCS#1 key is wrapped in the PKCS#8 {@code PrivateKeyInfo} structure (RFC 5208: version 0, the
 * rsaEncryption algorithm identifier, the PKCS#1 key as an octet string). Messages never repeat the key.
 */
final class AppPrivateKey {

    private static final String PKCS1 = "RSA PRIVATE KEY";
    private static final String PKCS8 = "PRIVATE KEY";
    /** DER of AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private AppPrivateKey() {
    }

    static RSAPrivateCrtKey parse(String pem, Parameters parameters) {
        // Keys pasted into one-line settings often arrive with literal "\n" instead of line breaks.
        String text = pem.replace("\\n", "\n").strip();
        String label = label(text);
        if (label == null) {
            throw parameters.invalid("'private-key-env' is not a PEM key: it must start with -----BEGIN RSA PRIVATE "
                    + "KEY----- (the .pem file GitHub generated for the App, given whole)");
        }
        if (!label.equals(PKCS1) && !label.equals(PKCS8)) {
            throw parameters.invalid("'private-key-env' holds a PEM '" + label + "', not an RSA private key; "
                    + (label.contains("ENCRYPTED") ? "decrypt it first (openssl pkcs8 -topk8 -nocrypt)"
                    : "give the App's private key (.pem file generated under the App's settings, 'Private keys')"));
        }
        String end = "-----END " + label + "-----";
        int endAt = text.indexOf(end);
        if (endAt < 0) {
            throw parameters.invalid("'private-key-env' has no '" + end + "' line; give the whole .pem file");
        }
        byte[] der;
        try {
            String body = text.substring(text.indexOf('\n') + 1, endAt);
            // Strict decoding (the MIME decoder would silently skip stray characters of a damaged key).
            der = Base64.getDecoder().decode(body.replaceAll("\\s+", ""));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw parameters.invalid("'private-key-env' is not valid PEM (its base64 body does not decode); give the "
                    + ".pem file unchanged");
        }
        try {
            byte[] pkcs8 = label.equals(PKCS1) ? wrapPkcs1(der) : der;
            if (KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8))
                    instanceof RSAPrivateCrtKey key) {
                if (key.getModulus().bitLength() < 2048) {
                    throw parameters.invalid("'private-key-env' is an RSA key of " + key.getModulus().bitLength()
                            + " bits; GitHub App keys are 2048 bits or more");
                }
                return key;
            }
        } catch (GeneralSecurityException e) {
            // fall through to the message below; the cause could quote key bytes
        }
        throw parameters.invalid("'private-key-env' is PEM but not a readable RSA private key; give the App's .pem file "
                + "unchanged (an EC or Ed25519 key cannot sign GitHub App tokens, which are RS256)");
    }

    private static String label(String text) {
        if (!text.startsWith("-----BEGIN ")) {
            return null;
        }
        int close = text.indexOf("-----", "-----BEGIN ".length());
        return close < 0 ? null : text.substring("-----BEGIN ".length(), close);
    }

    /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING (the PKCS#1 key) }. */
    static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(new byte[] {0x02, 0x01, 0x00});
        content.writeBytes(RSA_ALGORITHM);
        content.write(0x04);
        content.writeBytes(length(pkcs1.length));
        content.writeBytes(pkcs1);
        ByteArrayOutputStream sequence = new ByteArrayOutputStream();
        sequence.write(0x30);
        sequence.writeBytes(length(content.size()));
        sequence.writeBytes(content.toByteArray());
        return sequence.toByteArray();
    }

    /** DER definite length: short form below 128, else 0x80 | byte count, then big-endian bytes. */
    private static byte[] length(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        byte[] out = new byte[bytes + 1];
        out[0] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            out[bytes - i] = (byte) (length >>> (8 * i));
        }
        return out;
    }
}
