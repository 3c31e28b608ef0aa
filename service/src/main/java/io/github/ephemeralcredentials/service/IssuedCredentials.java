package io.github.ephemeralcredentials.service;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import io.github.ephemeralcredentials.core.exchange.CleanupRecord;
import io.github.ephemeralcredentials.service.state.SharedState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * What the service issued and can still take back (RFC 7009), kept in the shared store so that whichever replica is
 * asked revokes it. The store never holds a usable record: each is sealed (JWE, {@code dir} + {@code A256GCM}) with a
 * key derived from the access token itself — which only the credential's holder presents — and filed under another
 * digest of it. Someone who reads the store learns neither the credentials nor how to revoke them.
 */
final class IssuedCredentials {

    private static final JWEHeader SEALED = new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM);

    private final SharedState state;
    private final Clock clock;

    IssuedCredentials(SharedState state, Clock clock) {
        this.state = state;
        this.clock = clock;
    }

    /**
     * Keeps {@code record} until the credential expires, when it has anything to revoke.
     *
     * @throws io.github.ephemeralcredentials.service.state.StateUnavailableException when the store cannot keep it
     */
    void remember(String accessToken, CleanupRecord record) {
        Duration left = Duration.between(clock.instant(), record.expiresAt());
        if (record.revocations().isEmpty() || left.isNegative() || left.isZero()) {
            return;
        }
        JWEObject jwe = new JWEObject(SEALED, new Payload(record.toJson()));
        try {
            jwe.encrypt(new DirectEncrypter(key(accessToken)));
        } catch (JOSEException e) {
            throw new IllegalStateException("AES-256-GCM is missing from this JVM", e);
        }
        state.keep(id(accessToken), jwe.serialize(), left);
    }

    /**
     * The record for {@code accessToken}, removed: revoking twice finds nothing the second time.
     *
     * @throws io.github.ephemeralcredentials.service.state.StateUnavailableException when the store cannot answer
     */
    Optional<CleanupRecord> take(String accessToken) {
        Optional<String> sealed = state.take(id(accessToken));
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        try {
            JWEObject jwe = JWEObject.parse(sealed.get());
            jwe.decrypt(new DirectDecrypter(key(accessToken)));
            CleanupRecord record = CleanupRecord.fromJson(jwe.getPayload().toString(), "the shared store");
            return record.expiresAt().isBefore(clock.instant()) ? Optional.empty() : Optional.of(record);
        } catch (ParseException | JOSEException | RuntimeException e) {
            // Tampered or foreign: nothing this token may revoke.
            return Optional.empty();
        }
    }

    private static String id(String accessToken) {
        return "issued:" + hash("ephemeral-credentials revocation id\u0000" + accessToken);
    }

    private static byte[] key(String accessToken) {
        return digest("ephemeral-credentials revocation key\u0000" + accessToken);
    }

    static String hash(String text) {
        return HexFormat.of().formatHex(digest(text));
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
