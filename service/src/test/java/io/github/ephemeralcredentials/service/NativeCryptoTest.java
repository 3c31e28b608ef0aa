package io.github.ephemeralcredentials.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.security.Security;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider choice is process-wide, so each test puts the JVM's provider list back as it found it: the other
 * tests of this module run on the JDK's providers, as a library user's process would.
 */
class NativeCryptoTest {

    private static final String ACCP = AmazonCorrettoCryptoProvider.PROVIDER_NAME;

    @AfterEach
    void uninstall() {
        Security.removeProvider(ACCP);
    }

    private static void assumeAccpShipsForThisPlatform() {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "the service's jar carries AWS-LC for Linux x86-64 only");
    }

    @Test
    void jdkLeavesTheProviderListAlone() {
        var before = Arrays.asList(Security.getProviders());

        NativeCrypto.Choice choice = NativeCrypto.apply(NativeCrypto.Mode.JDK);

        assertThat(choice.nativeProvider()).isFalse();
        assertThat(choice.description()).isEqualTo("crypto: the JDK's providers (crypto: jdk)");
        assertThat(Arrays.asList(Security.getProviders())).isEqualTo(before);
    }

    @Test
    void autoPutsAwsLcFirstAndWhatItSignsVerifiesWithTheJdksOwnCode() throws Exception {
        assumeAccpShipsForThisPlatform();

        NativeCrypto.Choice choice = NativeCrypto.apply(NativeCrypto.Mode.AUTO);

        assertThat(choice.nativeProvider()).isTrue();
        assertThat(choice.description()).matches("crypto: AWS-LC v[0-9.]+ through " + ACCP + " [0-9.]+");
        assertThat(NativeCrypto.first().getName()).isEqualTo(ACCP);
        assertThat(Signature.getInstance("SHA256withECDSA").getProvider().getName()).isEqualTo(ACCP);
        assertThat(Signature.getInstance("SHA256withRSA").getProvider().getName()).isEqualTo(ACCP);

        // The service's own tokens, keys made and signed under AWS-LC, as relying parties on any JDK will check them.
        KeyRing ring = KeyRing.generate(SigningAlgorithm.ES256, Instant.now());
        TokenIssuer issuer = new TokenIssuer("https://exchange.example.com", () -> ring, Clock.systemUTC());
        SignedJWT minted = SignedJWT.parse(issuer.mint("repo:acme/app:ref:refs/heads/main", List.of("deploy-api"),
                Duration.ofMinutes(5), Map.of()));
        ECDSAVerifier jdk = new ECDSAVerifier(ring.active().key().toECKey().toECPublicKey());
        jdk.getJCAContext().setProvider(Security.getProvider("SunEC"));
        assertThat(minted.verify(jdk)).isTrue();
        assertThat(issuer.readOwn(minted.serialize())).isPresent();

        // A forged signature is still refused under AWS-LC.
        String[] parts = minted.serialize().split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
        assertThat(issuer.readOwn(forged)).isEmpty();
    }

    @Test
    void applyingTwiceInstallsOnce() {
        assumeAccpShipsForThisPlatform();

        NativeCrypto.apply(NativeCrypto.Mode.NATIVE);
        NativeCrypto.apply(NativeCrypto.Mode.AUTO);

        assertThat(Arrays.stream(Security.getProviders()).filter(p -> p.getName().equals(ACCP))).hasSize(1);
    }
}
