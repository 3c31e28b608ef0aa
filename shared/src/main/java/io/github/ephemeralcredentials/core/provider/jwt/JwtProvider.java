package io.github.ephemeralcredentials.core.provider.jwt;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.oidc.OidcException;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A short-lived JWT the token-exchange service signs with its own {@link TokenIssuer}, for internal services that
 * trust the service's {@code /.well-known/openid-configuration} and {@code /jwks}: the service verified the CI token
 * and its policy decided, and the JWT carries what the profile copies of the CI token's claims.
 *
 * <p>Parameters: {@code audience} (required), {@code claims} (copied; none beyond {@code sub} by default),
 * {@code subject-claim} (default {@code sub}). Scope: {@code scopes} (the {@code scope} claim). Lifetime: one minute
 * to {@link TokenIssuer#MAX_LIFETIME}.
 *
 * <p>No revocation here: relying parties verify the JWT offline against the JWKS, so the lifetime is their bound,
 * which is why it is short. The service itself marks a revoked JWT's {@code jti} and answers relying parties that ask
 * its {@code /introspect} (RFC 7662), for those that must refuse a revoked token before its {@code exp}.
 */
public final class JwtProvider implements CredentialProvider {

    public static final String ID = "jwt";
    public static final ProviderDescriptor DESCRIPTOR = JwtDescriptor.DESCRIPTOR;
    /** Collected once: the service checks a profile's names against them on every exchange it signs. */
    private static final Set<String> PARAMETER_NAMES = DESCRIPTOR.parameterNames();
    private static final Set<String> SCOPE_NAMES = DESCRIPTOR.scopeNames();
    static final String ENV_VAR = "EPHEMERAL_CREDENTIALS_JWT";

    private final TokenIssuer signer;

    /**
     * @param signer the token-exchange service's issuer, or {@code null} in any other host: then every exchange is
     *               refused, for only the service publishes the keys a relying party would verify with
     */
    public JwtProvider(TokenIssuer signer) {
        this.signer = signer;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public EphemeralCredential exchange(ExchangeRequest request) {
        Parameters parameters = Parameters.of(ID, request.parameters()).onlyKnown(PARAMETER_NAMES);
        Parameters scope = Parameters.scope(ID, request.scope()).onlyKnown(SCOPE_NAMES);
        if (signer == null) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, ID + ": only the token-exchange service "
                    + "(ephemeral-credentials serve) signs such tokens, with the keys its /jwks publishes; ask it for "
                    + "this profile (the broker provider, or the action's broker-url) instead of running it here");
        }
        List<String> audience = parameters.list("audience");
        if (audience.isEmpty()) {
            throw parameters.invalid("audience", "is required: the aud the relying party expects (e.g. "
                    + "https://deploy.internal.example.com)");
        }
        Duration lifetime = request.lifetime();
        if (lifetime.compareTo(DESCRIPTOR.minLifetime()) < 0 || lifetime.compareTo(TokenIssuer.MAX_LIFETIME) > 0) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, ID + ": a lifetime of "
                    + lifetime.toSeconds() + " s was asked for; the service signs tokens for "
                    + DESCRIPTOR.minLifetime().toSeconds() + " to " + TokenIssuer.MAX_LIFETIME.toSeconds() + " s");
        }
        Claims ci = request.claims();
        String subjectClaim = parameters.optional("subject-claim").orElse("sub");
        String subject = ci.string(subjectClaim).filter(s -> !s.isBlank()).orElseThrow(() -> parameters.invalid(
                "subject-claim", "names '" + subjectClaim + "', which the CI token does not carry as a text claim; "
                + "name one it does (e.g. sub, repository)"));
        List<String> scopes = scope.list("scopes");
        Map<String, Object> copied = copied(parameters, ci, !scopes.isEmpty());
        if (!scopes.isEmpty()) {
            copied.put("scope", String.join(" ", scopes));
        }
        SignedJWT token;
        try {
            token = signer.mintJwt(subject, audience, lifetime, copied);
        } catch (OidcException e) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, ID + ": the service refused to sign: "
                    + e.getMessage(), e);
        }
        return credential(token, scopes);
    }

    /** The claims {@code claims} names that the CI token carries, as it carries them. */
    private static Map<String, Object> copied(Parameters parameters, Claims ci, boolean scoped) {
        Map<String, Object> copied = new LinkedHashMap<>();
        TreeSet<String> reserved = new TreeSet<>();
        for (String name : parameters.list("claims")) {
            if (TokenIssuer.RESERVED_CLAIMS.contains(name) || (scoped && name.equals("scope"))) {
                reserved.add(name);
                continue;
            }
            ci.get(name).ifPresent(value -> copied.put(name, value));
        }
        if (!reserved.isEmpty()) {
            throw parameters.invalid("claims", "names " + reserved + ", which the service sets itself ("
                    + new TreeSet<>(TokenIssuer.RESERVED_CLAIMS) + ", and scope from 'scopes'); use 'subject-claim' "
                    + "to choose sub, and 'audience' for aud");
        }
        return copied;
    }

    private static EphemeralCredential credential(SignedJWT jwt, List<String> scopes) {
        String token = jwt.serialize();
        JWTClaimsSet minted;
        try {
            minted = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new IllegalStateException("the issuer minted a token whose claims it cannot read", e);
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("principal", minted.getSubject());
        if (!scopes.isEmpty()) {
            facts.put("scope", String.join(" ", scopes));
        }
        facts.put("audience", String.join(" ", minted.getAudience()));
        facts.put("jti", minted.getJWTID());
        return new EphemeralCredential(ID, List.of(CredentialValue.secret("token", token, ENV_VAR)), facts,
                minted.getExpirationTime().toInstant(), List.of(), List.of());
    }

    /** Not the provider's to revoke: the service that signed the JWT marks it revoked (see the class comment). */
    @Override
    public void revoke(Revocation revocation) {
        throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, ID + ": its tokens are never revoked "
                + "(relying parties verify them offline; they end at their exp), so a " + revocation.provider() + "/"
                + revocation.kind() + " revocation is not its to perform");
    }
}
