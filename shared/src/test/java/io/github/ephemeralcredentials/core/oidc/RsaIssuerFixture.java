package io.github.ephemeralcredentials.core.oidc;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import java.time.Instant;
import java.util.Date;

/**
 * An issuer on loopback with one RS256 key, the clock its tests move, and a valid token's claims for it: what the
 * verifier's refusal tests ({@link BadTokenTest}, {@link HostileTokenTest}) sign their tokens with and against.
 */
final class RsaIssuerFixture implements AutoCloseable {

    static final String AUD = "sts.amazonaws.com";

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
    final IssuerServer server;
    final RSAKey key;

    RsaIssuerFixture() throws Exception {
        server = new IssuerServer(KeyRing.generate(SigningAlgorithm.RS256, clock.instant()), clock);
        key = (RSAKey) server.keys().active().key();
    }

    /** A verifier of this issuer's tokens for {@link #AUD}, on the test's clock, with its own JWKS cache. */
    TokenVerifier.Builder verifier(HttpSettings http) {
        JwksCache cache = new JwksCache(HttpClients.create(http), JwksCache.Settings.DEFAULT, clock);
        return TokenVerifier.builder(server.url(), AUD, cache).clock(clock);
    }

    /** The claims of a token valid now: this issuer, {@link #AUD}, issued now, for five minutes. */
    JWTClaimsSet.Builder validClaims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(server.url()).audience(AUD).subject("repo:acme/app:ref:refs/heads/main")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    static String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.close();
    }
}
