package io.github.ephemeralcredentials.core.provider.oauth;

import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.LIST;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.STRING;

import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.broker.ExportedNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The RFC 8693 token exchange provider as data (see {@link TokenExchangeProvider}). A class of its own so that
 * reading it loads none of the provider's code.
 */
public final class TokenExchangeDescriptor {

    public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("token-exchange",
            "OAuth 2.0 Token Exchange (RFC 8693) with the CI token as subject token",
            parameters(), JwtBearerDescriptor.SCOPE, Duration.ofSeconds(1),
            parameters -> JwtBearerDescriptor.MAX_LIFETIME, JwtBearerDescriptor::defaultAudience, true, null,
            Set.of(), null).exporting(ExportedNames::mayExport);

    private TokenExchangeDescriptor() {
    }

    private static List<ParameterSpec> parameters() {
        List<ParameterSpec> all = new ArrayList<>(JwtBearerDescriptor.COMMON);
        all.add(ParameterSpec.optional("audience", LIST, "the audiences to ask a token for")
                .withActionInput("target-audience"));
        all.add(ParameterSpec.optional("resource", LIST, "the resource URIs to ask a token for")
                .withActionInput("resource"));
        all.add(ParameterSpec.optional("requested-token-type", STRING, "the token type to ask for")
                .withActionInput("requested-token-type"));
        all.add(ParameterSpec.optional("subject-token-type", STRING, "jwt, id_token or a token type URI")
                .withDefault("jwt").withActionInput("subject-token-type"));
        all.add(ParameterSpec.optional("subject-issuer", STRING, "the identity provider that issued the CI "
                + "token, as the server knows it (Keycloak)").withActionInput("subject-issuer"));
        return List.copyOf(all);
    }
}
