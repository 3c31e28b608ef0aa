package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.XmlFile;
import hudson.model.Saveable;
import hudson.util.Secret;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * The issuer's signing keys, encrypted with Jenkins' own secret key ({@link Secret}) in a file of their own.
 * Deliberately not part of any configuration: saving the global configuration or reloading Configuration as Code
 * never touches them, so relying parties that cached the JWKS keep verifying. Only {@link #rotate} changes them.
 */
@Extension
public final class IssuerKeys implements Saveable {

    private static final Logger LOGGER = Logger.getLogger(IssuerKeys.class.getName());

    /** Serialized field: the key ring's secret JSON, encrypted. */
    private Secret keyRing;

    private transient KeyRing cached;

    public static IssuerKeys get() {
        return ExtensionList.lookupSingleton(IssuerKeys.class);
    }

    /** The current ring, generated and stored on first use. */
    public synchronized KeyRing ring() {
        if (cached == null) {
            load();
            if (keyRing == null) {
                LOGGER.info("Generating the first signing key of the Ephemeral Credentials OIDC issuer");
                store(KeyRing.generate(SigningAlgorithm.RS256, Instant.now()));
            } else {
                cached = KeyRing.fromSecretJson(keyRing.getPlainText());
            }
        }
        return cached;
    }

    /** Rotates if the active key is older than {@code period}; the old key stays published for {@code overlap}. */
    public synchronized boolean rotateIfDue(Duration period, Duration overlap) {
        Instant now = Instant.now();
        if (!ring().dueForRotation(now, period)) {
            return false;
        }
        rotate(overlap);
        return true;
    }

    /** Rotates now; the old key stays published for {@code overlap}. */
    public synchronized void rotate(Duration overlap) {
        KeyRing next = ring().rotate(SigningAlgorithm.RS256, Instant.now(), overlap);
        store(next);
        LOGGER.info(() -> "Rotated the Ephemeral Credentials OIDC issuer key; new key " + next.active().kid()
                + ", previous key published until " + next.retired().get(0).publishUntil());
    }

    private void store(KeyRing ring) {
        keyRing = Secret.fromString(ring.toSecretJson());
        try {
            save();
        } catch (IOException e) {
            // A key that was never stored would change on restart and break every relying party: refuse to sign.
            keyRing = null;
            cached = null;
            throw new UncheckedIOException("could not store the issuer's signing keys in " + file()
                    + "; check that JENKINS_HOME is writable", e);
        }
        cached = ring;
    }

    @Override
    public synchronized void save() throws IOException {
        file().write(this);
    }

    private void load() {
        XmlFile file = file();
        if (file.exists()) {
            try {
                file.unmarshal(this);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the issuer's signing keys from " + file
                        + "; restore the file from a backup, or delete it to generate new keys (relying parties "
                        + "will then need to fetch the new JWKS)", e);
            }
        }
    }

    private static XmlFile file() {
        return new XmlFile(new File(Jenkins.get().getRootDir(), IssuerKeys.class.getName() + ".xml"));
    }
}
