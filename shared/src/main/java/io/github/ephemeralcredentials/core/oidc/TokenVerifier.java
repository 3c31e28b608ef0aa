package io.github.ephemeralcredentials.core.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.oidc.OidcException.Reason;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Verifies compact JWTs from one issuer for one audience. Immutable and thread-safe; build one per
 * (issuer, audience) and share it.
 *
 * <p>Keys come only from the issuer's own JWKS (via discovery): {@code jku}, {@code x5u}, {@code jwk} and
 * {@code x5c} headers are never used as key sources, so a token cannot bring the key that verifies it.
 */
public final class TokenVerifier {

    /** Public-key algorithms only: an HMAC "verified" with a public key is the classic confusion attack. */
    public static final Set<JWSAlgorithm> DEFAULT_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.EdDSA);

    public static final int MAX_TOKEN_CHARS = 16 * 1024;
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    private static final long LAST_SECOND_OF_9999 = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();


    private final String issuer;
    private final String audience;
    private final Set<JWSAlgorithm> algorithms;
    private final Duration clockSkew;
    private final Duration maxTokenAge;
    private final JwksCache jwks;
    private final Clock clock;
    private final Map<VerifierKey, JWSVerifier> verifierCache = new ConcurrentHashMap<>();
    /** Bounds the memo when an issuer rotates often; a JWKS rarely holds more than a handful of keys. */
    private static final int MAX_CACHED_VERIFIERS = 64;

    private TokenVerifier(Builder b) {
        this.issuer = Objects.requireNonNull(b.issuer, "issuer");
        this.audience = Objects.requireNonNull(b.audience, "audience");
        this.algorithms = Set.copyOf(b.algorithms);
        this.clockSkew = b.clockSkew;
        this.maxTokenAge = b.maxTokenAge;
        this.jwks = Objects.requireNonNull(b.jwks, "jwks");
        this.clock = b.clock;
        for (JWSAlgorithm alg : algorithms) {
            if (!DEFAULT_ALGORITHMS.contains(alg)) {
                throw new IllegalArgumentException("algorithm " + alg + " cannot be allowed; choose from "
                        + names(DEFAULT_ALGORITHMS));
            }
        }
    }

    public static Builder builder(String issuer, String audience, JwksCache jwks) {
        return new Builder(issuer, audience, jwks);
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    /**
     * @return the verified claims
     * @throws OidcException with the reason the token was refused
     */
    public VerifiedClaims verify(String token) {
        SignedJWT jwt = parse(token);
        checkHeader(jwt.getHeader());
        return verified(jwt, payload(jwt));
    }

    /**
     * {@link #verify(String)} of a token {@link TrustedIssuers} has already parsed to find its issuer: the same
     * checks, without decoding and parsing it a second time.
     */
    VerifiedClaims verify(SignedJWT jwt, Map<String, Object> payload) {
        checkHeader(jwt.getHeader());
        return verified(jwt, payload);
    }

    /**
     * {@link #verify(SignedJWT, Map)} without fetching: empty when the issuer's keys for this token are not cached and
     * fresh. Refusals are the same, and the checks before the signature's run in the same order.
     */
    Optional<VerifiedClaims> verifyFromCache(SignedJWT jwt, Map<String, Object> payload) {
        checkHeader(jwt.getHeader());
        return verified(jwt, payload, false);
    }

    private void checkHeader(JWSHeader header) {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!algorithms.contains(alg)) {
            throw new OidcException(Reason.UNSUPPORTED_ALGORITHM, "token algorithm '" + alg
                    + "' is not allowed; allowed: " + names(algorithms));
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw new OidcException(Reason.UNSUPPORTED_CRITICAL_HEADER, "token marks header parameters "
                    + header.getCriticalParams() + " as critical; this verifier implements none of them");
        }
    }

    /** The payload's own map, not a JWTClaimsSet: converting there and back costs more than the checks. */
    static Map<String, Object> payload(SignedJWT jwt) {
        Map<String, Object> payload = jwt.getPayload().toJSONObject();
        if (payload == null) {
            throw new OidcException(Reason.MALFORMED, "token payload is not a JSON object of claims (or repeats a key)");
        }
        return payload;
    }

    private VerifiedClaims verified(SignedJWT jwt, Map<String, Object> payload) {
        return verified(jwt, payload, true).orElseThrow();
    }

    /** Empty only when {@code mayFetch} is false and the issuer's keys for this token are not cached and fresh. */
    private Optional<VerifiedClaims> verified(SignedJWT jwt, Map<String, Object> payload, boolean mayFetch) {
        Claims claims = new Claims(payload);
        checkIssuer(claims);
        JWSHeader header = jwt.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        Optional<JwksCache.Lookup> lookup = mayFetch
                ? Optional.of(jwks.lookup(issuer, header.getKeyID(), alg))
                : jwks.cached(issuer, header.getKeyID(), alg);
        if (lookup.isEmpty()) {
            return Optional.empty();
        }
        checkSignature(jwt, header, alg, lookup.get());
        checkTimes(claims);
        checkAudience(claims);
        return Optional.of(new VerifiedClaims(claims, "verified against the keys of " + issuer));
    }

    static SignedJWT parse(String token) {
        if (token == null || token.isBlank()) {
            throw new OidcException(Reason.MALFORMED, "no token was given");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new OidcException(Reason.TOO_LARGE, "token is " + token.length() + " characters; at most "
                    + MAX_TOKEN_CHARS + " are accepted");
        }
        String trimmed = token.strip();
        String[] parts = trimmed.split("\\.", -1);
        if (parts.length != 3) {
            throw parts.length == 5
                    ? new OidcException(Reason.UNSUPPORTED_ALGORITHM, "token is encrypted (JWE); only signed tokens (JWS) are accepted")
                    : new OidcException(Reason.MALFORMED, "a signed JWT has three dot-separated parts; this token has " + parts.length);
        }
        try {
            StrictBase64URL[] decoded = new StrictBase64URL[3];
            for (int i = 0; i < 3; i++) {
                decoded[i] = new StrictBase64URL(parts[i]);
                decoded[i].decode();
            }
            return new SignedJWT(decoded[0], decoded[1], decoded[2]);
        } catch (IllegalArgumentException e) {
            throw new OidcException(Reason.MALFORMED, "token is not a well-formed JWT: a part is not base64url", e);
        } catch (ParseException e) {
            // Only on the error path: find out whether it was an unsigned token or just a broken one.
            throw classifyUnparsable(trimmed, e);
        } catch (RuntimeException e) {
            // Nimbus throws a NullPointerException for a header of JSON null (found by TokenVerifierFuzzTest).
            throw new OidcException(Reason.MALFORMED, "token is not a well-formed JWT: its header is not a JSON "
                    + "object", e);
        }
    }

    private static OidcException classifyUnparsable(String token, ParseException signedParseError) {
        try {
            if (JWTParser.parse(token) instanceof PlainJWT) {
                return new OidcException(Reason.UNSUPPORTED_ALGORITHM, "token is unsigned (alg 'none'); only signed tokens are accepted");
            }
        } catch (ParseException ignored) {
            // Not a JWT of any kind: report the signed-JWT parse error below.
        }
        return new OidcException(Reason.MALFORMED, "token is not a well-formed JWT: " + signedParseError.getMessage(), signedParseError);
    }

    private void checkIssuer(Claims claims) {
        String presented = claims.issuer();
        if (presented == null) {
            throw new OidcException(Reason.MISSING_CLAIM, "token has no 'iss' claim; expected '" + issuer + "'");
        }
        if (!issuer.equals(presented)) {
            throw new OidcException(Reason.BAD_ISSUER, "token issuer '" + presented + "' is not the expected issuer '"
                    + issuer + "' (compared exactly, including scheme, case and any trailing slash)");
        }
    }

    private void checkSignature(SignedJWT jwt, JWSHeader header, JWSAlgorithm alg, JwksCache.Lookup lookup) {
        String kid = header.getKeyID();
        List<JWK> candidates = lookup.keys();
        if (candidates.isEmpty()) {
            throw new OidcException(Reason.UNKNOWN_KEY, kid == null
                    ? "token has no 'kid' and the issuer's JWKS has no " + alg + " signing key"
                    : "token key id '" + kid + "' is not in the JWKS of '" + issuer + "' " + lookup.refetchAllowedAt()
                    .map(at -> "as last fetched (it was not fetched again: a refetch for unknown keys is allowed from "
                            + at + "); if the issuer rotated its keys just now, retry after that")
                    .orElse("(after a refetch); the token was not signed by this issuer or its key was retired"));
        }
        // RFC 8725 section 3.1: a key published for one algorithm verifies no other (an RS256 key, not PS256).
        List<JWK> forAlg = candidates.stream()
                .filter(k -> k.getAlgorithm() == null || k.getAlgorithm().getName().equals(alg.getName()))
                .toList();
        if (forAlg.isEmpty()) {
            JWK key = candidates.get(0);
            throw new OidcException(Reason.UNSUPPORTED_ALGORITHM, kid == null
                    ? "token has no 'kid' and the JWKS of '" + issuer + "' publishes no key for its algorithm "
                    + alg + " (a key is used only with the algorithm its issuer declared, RFC 8725)"
                    : "token is signed with " + alg + " but key '" + kid + "' of '" + issuer + "' is published for "
                    + key.getAlgorithm() + " only; a key is used only with the algorithm its issuer declared "
                    + "(RFC 8725), so the token was not made by this issuer");
        }
        for (JWK candidate : forAlg) {
            if (verifies(jwt, header, candidate)) {
                return;
            }
        }
        throw new OidcException(Reason.BAD_SIGNATURE, "token signature does not verify with key '"
                + forAlg.get(0).getKeyID() + "' of '" + issuer + "'; the token was altered or forged");
    }

    private boolean verifies(SignedJWT jwt, JWSHeader header, JWK jwk) {
        try {
            JWSVerifier verifier = verifierCache.get(new VerifierKey(jwk, header.getAlgorithm()));
            if (verifier == null) {
                // Building the JDK key costs more than checking one signature: keep one verifier per key and alg.
                verifier = SigningAlgorithm.verifier(header, jwk);
                if (verifierCache.size() > MAX_CACHED_VERIFIERS) {
                    verifierCache.clear();
                }
                verifierCache.put(new VerifierKey(jwk, header.getAlgorithm()), verifier);
            }
            return jwt.verify(verifier);
        } catch (JOSEException e) {
            // A key of the wrong type or size for the algorithm cannot have made this signature.
            return false;
        }
    }

    /** Keyed by the cached JWK instance: hashing a key's modulus on every token would cost more than the lookup saves. */
    private record VerifierKey(JWK key, JWSAlgorithm alg) {
        @Override
        public boolean equals(Object other) {
            return other instanceof VerifierKey k && k.key == key && k.alg.equals(alg);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(key) + alg.hashCode();
        }
    }

    private void checkTimes(Claims claims) {
        Instant now = clock.instant();
        for (String time : List.of("exp", "nbf", "iat")) {
            if (!claims.has(time)) {
                continue;
            }
            if (!(claims.values().get(time) instanceof Number n)) {
                throw new OidcException(Reason.MALFORMED, "token claim '" + time + "' is not a number of seconds");
            }
            // Checked before any arithmetic: Instant's range ends long before Long's, and plus() would throw.
            double seconds = n.doubleValue();
            if (!(seconds >= 0 && seconds <= LAST_SECOND_OF_9999)) {
                throw new OidcException(Reason.MALFORMED, "token claim '" + time + "' is not a date between 1970 "
                        + "and 9999 in seconds since the epoch; the token was not made by a working issuer");
            }
        }
        Instant exp = claims.expiresAt().orElseThrow(() ->
                new OidcException(Reason.MISSING_CLAIM, "token has no 'exp' claim; tokens without expiry are refused"));
        if (now.isAfter(exp.plus(clockSkew))) {
            throw new OidcException(Reason.EXPIRED, "token expired at " + exp + " (now " + now + ", allowed clock skew "
                    + clockSkew.toSeconds() + " s); request a fresh token");
        }
        claims.notBefore().ifPresent(nbf -> {
            if (now.plus(clockSkew).isBefore(nbf)) {
                throw new OidcException(Reason.NOT_YET_VALID, "token is not valid before " + nbf + " (now " + now
                        + ", allowed clock skew " + clockSkew.toSeconds() + " s); check the clocks of issuer and verifier");
            }
        });
        claims.issuedAt().ifPresent(iat -> {
            if (now.plus(clockSkew).isBefore(iat)) {
                throw new OidcException(Reason.ISSUED_IN_FUTURE, "token claims to be issued at " + iat + ", after now ("
                        + now + ") plus the allowed clock skew; check the clocks of issuer and verifier");
            }
        });
        if (maxTokenAge != null) {
            Instant iat = claims.issuedAt().orElseThrow(() -> new OidcException(Reason.MISSING_CLAIM,
                    "token has no 'iat' claim, but a maximum token age of " + maxTokenAge.toSeconds() + " s is configured"));
            if (now.isAfter(iat.plus(maxTokenAge).plus(clockSkew))) {
                throw new OidcException(Reason.TOO_OLD, "token was issued at " + iat + ", more than the allowed "
                        + maxTokenAge.toSeconds() + " s ago (now " + now + "); request a fresh token");
            }
        }
    }

    private void checkAudience(Claims claims) {
        List<String> presented = claims.audience();
        if (presented.isEmpty()) {
            throw new OidcException(Reason.BAD_AUDIENCE, "token has no 'aud' claim; expected '" + audience
                    + "'. Request the token with that audience");
        }
        if (!presented.contains(audience)) {
            throw new OidcException(Reason.BAD_AUDIENCE, "token audience " + presented + " does not contain the expected '"
                    + audience + "'. Request the token with that audience");
        }
    }

    private static String names(Set<JWSAlgorithm> algs) {
        return algs.stream().map(JWSAlgorithm::getName).sorted().collect(Collectors.joining(", "));
    }

    public static final class Builder {
        private final String issuer;
        private final String audience;
        private final JwksCache jwks;
        private Set<JWSAlgorithm> algorithms = DEFAULT_ALGORITHMS;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration maxTokenAge;
        private Clock clock = Clock.systemUTC();

        private Builder(String issuer, String audience, JwksCache jwks) {
            this.issuer = issuer;
            this.audience = audience;
            this.jwks = jwks;
        }

        public Builder algorithms(Set<JWSAlgorithm> algorithms) {
            this.algorithms = new LinkedHashSet<>(algorithms);
            return this;
        }

        public Builder clockSkew(Duration clockSkew) {
            if (clockSkew.isNegative()) {
                throw new IllegalArgumentException("clock skew must not be negative");
            }
            this.clockSkew = clockSkew;
            return this;
        }

        /** Refuse tokens issued longer ago than this, even if not yet expired. {@code null} for no limit. */
        public Builder maxTokenAge(Duration maxTokenAge) {
            this.maxTokenAge = maxTokenAge;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public TokenVerifier build() {
            return new TokenVerifier(this);
        }
    }
}
