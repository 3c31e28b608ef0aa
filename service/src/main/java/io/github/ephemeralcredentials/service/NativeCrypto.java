package io.github.ephemeralcredentials.service;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import java.security.Provider;
import java.security.Security;
import java.util.Locale;

/**
 * Which JCA provider does the service's signatures: AWS-LC through the Amazon Corretto Crypto Provider (ACCP) when it
 * loads, else the JDK's own.
 *
 * <p>Why it matters: an exchange verifies one RS256 CI token and, for the {@code jwt} provider, signs one ES256 token.
 * Measured here on Java 25, one thread: ES256 signing takes 123 µs in the JDK and 14 µs in AWS-LC, RS256 verification
 * 31 µs and 15 µs. That is about a fifth of the service's CPU per exchange.
 *
 * <p>ACCP is installed as the process's first provider, as its authors intend for a service: every signature, TLS
 * handshake and random number of the {@code serve} process then goes through AWS-LC, and what ACCP does not provide
 * (key stores, certificates) still comes from the JDK. It is a process-wide choice, so only the {@code serve} command
 * makes it, never the library or an in-process test service. ACCP ships its native library for Linux x86-64 in this
 * jar; elsewhere (arm64, macOS, a {@code noexec} temporary directory) it does not load, and {@code auto} stays on the
 * JDK and says why.
 */
public final class NativeCrypto {

    /** The service configuration's {@code crypto:} value. */
    public enum Mode {
        /** AWS-LC when it loads, else the JDK (the default). */
        AUTO,
        /** AWS-LC or refuse to start: for operators who sized their replicas on its figures. */
        NATIVE,
        /** The JDK's providers only. */
        JDK;

        public String configValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What {@link #apply} chose.
     *
     * @param nativeProvider whether AWS-LC now signs for this process
     * @param description    one line for the service's start-up message, naming the provider and, when it is not
     *                       native, why
     */
    public record Choice(boolean nativeProvider, String description) {
    }

    private NativeCrypto() {
    }

    /**
     * Installs ACCP as the first provider when {@code mode} asks for it and it loads.
     *
     * @throws IllegalStateException for {@link Mode#NATIVE} when ACCP cannot be used here, naming the reason
     */
    public static Choice apply(Mode mode) {
        if (mode == Mode.JDK) {
            return new Choice(false, "crypto: the JDK's providers (crypto: jdk)");
        }
        String unavailable = unavailable();
        if (unavailable != null) {
            if (mode == Mode.NATIVE) {
                throw new IllegalStateException("crypto: native, but AWS-LC cannot be used here: " + unavailable
                        + "; use crypto: auto (or jdk) to run on the JDK's providers");
            }
            return new Choice(false, "crypto: the JDK's providers (AWS-LC unavailable: " + unavailable + ")");
        }
        AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        if (Security.getProvider(accp.getName()) == null) {
            AmazonCorrettoCryptoProvider.install();
        }
        return new Choice(true, "crypto: " + accp.getAwsLcVersionStr() + " through "
                + accp.getName() + " " + accp.getVersionStr());
    }

    /** Why ACCP cannot be used in this process, or null when it can. */
    static String unavailable() {
        try {
            AmazonCorrettoCryptoProvider accp = AmazonCorrettoCryptoProvider.INSTANCE;
            Throwable loading = accp.getLoadingError();
            if (loading != null) {
                return describe(loading);
            }
            // Runs the known-answer self-tests once: a library that loads but computes wrongly must not sign.
            accp.assertHealthy();
            return null;
        } catch (RuntimeException | LinkageError e) {
            return describe(e);
        }
    }

    /** The provider that signs first in this process (for tests and the start-up line). */
    static Provider first() {
        return Security.getProviders()[0];
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": "
                + message.lines().findFirst().orElse("").strip());
    }
}
