package io.github.ephemeralcredentials.core.oidc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.oidc.OidcException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Mints tokens for a CI system that has no OIDC issuer of its own, and renders the documents relying parties
 * fetch: the discovery document at {@code {issuer}/.well-known/openid-configuration} and the JWKS at
 * {@code {issuer}/jwks}.
 */
public final class TokenIssuer {

    /** Claims only the issuer sets; a caller supplying one of them is refused, not silently overridden. */
    public static final Set<String> RESERVED_CLAIMS = Set.of("iss", "aud", "sub", "iat", "nbf", "exp", "jti");

    public static final Duration MAX_LIFETIME = Duration.ofHours(1);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DefaultJWSSignerFactory SIGNERS = new DefaultJWSSignerFactory();

    private final String issuer;
    private final Supplier<KeyRing> keys;
    private final Clock clock;
    /**
     * The signer of the last key used: making one turns the JWK into a JDK key (a key factory call), which for ES256
     * cost about as much as the signature itself once the signature is native. Keys rotate rarely.
     */
    private volatile KeySigner last;

    private record KeySigner(SigningKey key, JWSSigner signer) {
    }

    /**
     * @param issuer the issuer URL exactly as it will appear in {@code iss} (no trailing slash)
     * @param keys   the current key ring; a supplier so the host can rotate and persist without rebuilding this
     */
    public TokenIssuer(String issuer, Supplier<KeyRing> keys, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        if (issuer.endsWith("/")) {
            throw new IllegalArgumentException("issuer URL '" + issuer + "' ends with '/'; relying parties compare "
                    + "issuers exactly, so configure it without the trailing slash");
        }
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String issuer() {
        return issuer;
    }

    public String jwksUri() {
        return issuer + "/jwks";
    }

    public String discoveryUri() {
        return issuer + "/.well-known/openid-configuration";
    }

    /**
     * Signs a token with the active key.
     *
     * @param subject  {@code sub}
     * @param audience {@code aud}: one value is written as a string, several as an array
     * @param lifetime from now to {@code exp}, at most {@link #MAX_LIFETIME}
     * @param claims   further claims; none of {@link #RESERVED_CLAIMS}
     */
    public String mint(String subject, List<String> audience, Duration lifetime, Map<String, ?> claims) {
        return mintJwt(subject, audience, lifetime, claims).serialize();
    }

    /**
     * {@link #mint}, as the signed JWT: its {@code getJWTClaimsSet()} is the set just signed, so a caller that needs
     * {@code exp} or {@code jti} does not parse the token back.
     */
    public SignedJWT mintJwt(String subject, List<String> audience, Duration lifetime, Map<String, ?> claims) {
        if (subject == null || subject.isBlank()) {
            throw new OidcException(Reason.ISSUE_REFUSED, "a token needs a non-empty subject");
        }
        if (audience == null || audience.isEmpty() || audience.stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new OidcException(Reason.ISSUE_REFUSED, "a token needs at least one non-empty audience; "
                    + "use the audience the relying party expects (e.g. 'sts.amazonaws.com')");
        }
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new OidcException(Reason.ISSUE_REFUSED, "token lifetime " + lifetime.toSeconds()
                    + " s is outside 1.." + MAX_LIFETIME.toSeconds() + " s");
        }
        Set<String> clashing = new TreeSet<>(claims.keySet());
        clashing.retainAll(RESERVED_CLAIMS);
        if (!clashing.isEmpty()) {
            throw new OidcException(Reason.ISSUE_REFUSED, "claims " + clashing + " are set by the issuer and cannot be "
                    + "supplied; pass the subject and audience as arguments");
        }
        // Whole seconds, as the JWT carries them: the claims set mintJwt returns is then exactly what was signed.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet.Builder set = new JWTClaimsSet.Builder();
        claims.forEach(set::claim);
        set.issuer(issuer)
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime).truncatedTo(ChronoUnit.SECONDS)))
                .jwtID(UUID.randomUUID().toString());
        SigningKey key = keys.get().active();
        JWSHeader header = new JWSHeader.Builder(key.algorithm().jws())
                .keyID(key.kid())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, set.build());
        try {
            jwt.sign(signer(key));
        } catch (JOSEException e) {
            throw new OidcException(Reason.ISSUE_REFUSED, "signing with key '" + key.kid() + "' failed: " + e.getMessage(), e);
        }
        return jwt;
    }

    private JWSSigner signer(SigningKey key) throws JOSEException {
        KeySigner cached = last;
        if (cached == null || (cached.key() != key && !cached.key().equals(key))) {
            cached = new KeySigner(key, SIGNERS.createJWSSigner(key.key(), key.algorithm().jws()));
            last = cached;
        }
        return cached.signer();
    }

    /**
     * The claims of a token this issuer signed and that has not expired, or empty for anything else (another
     * issuer's token, an opaque string, a forged or expired one). For the issuer's own revocation and introspection:
     * it checks exactly what it minted, with the keys it publishes, and needs no network.
     */
    public Optional<Claims> readOwn(String token) {
        if (token == null || token.length() > TokenVerifier.MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            String kid = jwt.getHeader().getKeyID();
            JWK key = kid == null ? null : keys.get().publicJwks(clock.instant()).getKeyByKeyId(kid);
            // The key's own algorithm, never the header's choice: a header may only confirm it.
            if (key == null || !SigningAlgorithm.of(key).jws().equals(jwt.getHeader().getAlgorithm())
                    || jwt.getHeader().getCriticalParams() != null
                    || !jwt.verify(SigningAlgorithm.verifier(jwt.getHeader(), key))) {
                return Optional.empty();
            }
            JWTClaimsSet set = jwt.getJWTClaimsSet();
            Date exp = set.getExpirationTime();
            if (!issuer.equals(set.getIssuer()) || exp == null || !exp.toInstant().isAfter(clock.instant())) {
                return Optional.empty();
            }
            return Optional.of(Claims.of(set.toJSONObject()));
        } catch (java.text.ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The JWKS relying parties fetch: public keys only. */
    public String jwks() {
        return keys.get().publicJwks(clock.instant()).toString(true);
    }

    /** The OpenID Connect discovery document (the fields OpenID Connect Discovery 1.0 §3 requires for an issuer of ID tokens). */
    public String discoveryDocument() {
        KeyRing ring = keys.get();
        Set<String> algs = new TreeSet<>();
        algs.add(ring.active().algorithm().jws().getName());
        ring.retired().forEach(k -> algs.add(k.algorithm().jws().getName()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("jwks_uri", jwksUri());
        doc.put("response_types_supported", List.of("id_token"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.copyOf(algs));
        doc.put("scopes_supported", List.of("openid"));
        doc.put("claims_supported", List.of("iss", "sub", "aud", "iat", "nbf", "exp", "jti"));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("discovery document could not be rendered", e);
        }
    }
}
