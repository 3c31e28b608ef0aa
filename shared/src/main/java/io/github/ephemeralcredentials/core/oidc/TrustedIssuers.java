package io.github.ephemeralcredentials.core.oidc;

import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.oidc.OidcException.Reason;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies CI tokens from any of a set of issuers the operator trusts: the token names its issuer, the issuer must be
 * on the list exactly, and its keys come from that issuer's discovery document and JWKS only. A token from an issuer
 * nobody listed is refused before its keys are even fetched, so a forged {@code iss} cannot make us fetch from a
 * server of the forger's choosing.
 */
public final class TrustedIssuers {

    private final Set<String> issuers;
    private final JwksCache jwks;
    private final Clock clock;
    private final Map<String, TokenVerifier> verifiers = new ConcurrentHashMap<>();

    /**
     * @param issuers exact issuer URLs ({@link IssuerUrls#validate} each), e.g. {@link KnownIssuers#GITHUB_ACTIONS}
     * @throws IllegalArgumentException naming an issuer URL that cannot be one, or when none is given
     */
    public TrustedIssuers(Collection<String> issuers, JwksCache jwks, Clock clock) {
        Set<String> checked = new TreeSet<>();
        issuers.forEach(issuer -> checked.add(IssuerUrls.validate(issuer)));
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("no trusted issuer given; name at least one issuer URL");
        }
        this.issuers = Set.copyOf(checked);
        this.jwks = Objects.requireNonNull(jwks, "jwks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Set<String> issuers() {
        return new TreeSet<>(issuers);
    }

    /**
     * @param audience the {@code aud} the token must carry, exactly
     * @throws OidcException with the reason the token was refused; the message never quotes the token
     */
    public VerifiedClaims verify(String token, String audience) {
        Objects.requireNonNull(audience, "audience");
        // Parsed once: the issuer picks the verifier, which then checks this same parse.
        SignedJWT jwt = TokenVerifier.parse(token);
        Map<String, Object> payload = TokenVerifier.payload(jwt);
        return verifier(payload, audience).verify(jwt, payload);
    }

    /**
     * {@link #verify} on a thread that must not wait: never fetches a discovery document or JWKS.
     *
     * @return the verified claims, or empty when the issuer's keys for this token are not cached and fresh; then
     *         {@link #verify} it where a thread may wait
     * @throws OidcException for every refusal {@link #verify} would give without fetching
     */
    public Optional<VerifiedClaims> verifyFromCache(String token, String audience) {
        Objects.requireNonNull(audience, "audience");
        SignedJWT jwt = TokenVerifier.parse(token);
        Map<String, Object> payload = TokenVerifier.payload(jwt);
        return verifier(payload, audience).verifyFromCache(jwt, payload);
    }

    private TokenVerifier verifier(Map<String, Object> payload, String audience) {
        Object iss = payload.get("iss");
        // A non-string iss is named as Claims renders it (JSON), so the refusal shows what the token holds.
        String issuer = iss == null ? null : iss instanceof String text ? text : new Claims(payload).issuer();
        if (issuer == null) {
            throw new OidcException(Reason.MISSING_CLAIM, "the token has no 'iss' claim; it cannot be verified");
        }
        if (!issuers.contains(issuer)) {
            throw new OidcException(Reason.BAD_ISSUER, "the token's issuer '" + printable(issuer) + "' is not one "
                    + "this command trusts (" + String.join(", ", new TreeSet<>(issuers)) + "); if that CI system "
                    + "is yours, add it with --issuer");
        }
        return verifiers.computeIfAbsent(issuer + "\u0000" + audience,
                key -> TokenVerifier.builder(issuer, audience, jwks).clock(clock).build());
    }

    /** An attacker-chosen claim in a message: control and format characters (bidi overrides) shown as escapes. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(200).forEach(c -> {
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > 200 ? out + "…" : out.toString();
    }
}
