package io.github.ephemeralcredentials.core.provider.jwt;

import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.LIST;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.STRING;

import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The token-exchange service's own JWTs as data (see {@link JwtProvider}). A class of its own so that reading it loads
 * none of the provider's code.
 */
public final class JwtDescriptor {

    public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("jwt",
            "a short-lived JWT the token-exchange service signs itself, for internal services that trust its "
                    + "/.well-known/openid-configuration and /jwks",
            List.of(
                    ParameterSpec.required("audience", LIST, "the aud of the relying party (several allowed)"),
                    ParameterSpec.optional("claims", LIST, "the CI token's claims copied into the JWT (e.g. "
                            + "repository, ref); claims the CI token lacks are left out"),
                    ParameterSpec.optional("subject-claim", STRING, "the CI token's claim whose value becomes sub")
                            .withDefault("sub")),
            List.of(ParameterSpec.optional("scopes", LIST, "written space-separated as the scope claim")),
            Duration.ofMinutes(1), parameters -> TokenIssuer.MAX_LIFETIME,
            // The relying party is whatever the profile names; the CI token's aud is the service's business.
            parameters -> Optional.empty(),
            // Issued on the claims alone: nobody downstream sees the CI token, so only verified claims will do.
            false, null, Set.of(), null)
            .exporting(Set.of("EPHEMERAL_CREDENTIALS_JWT"));

    private JwtDescriptor() {
    }
}
