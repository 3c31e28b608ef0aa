package io.github.ephemeralcredentials.core.provider.oauth;

import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.BOOLEAN;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.LIST;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.STRING;

import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.broker.ExportedNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The RFC 7523 JWT bearer provider as data (see {@link JwtBearerProvider}), and the parameters every OAuth grant
 * provider shares ({@link OAuthProfile}). A class of its own so that reading it loads none of the provider's code.
 */
public final class JwtBearerDescriptor {

    /** What every OAuth grant reads: where the server is, how the client authenticates, where the token goes. */
    static final List<ParameterSpec> COMMON = List.of(
            ParameterSpec.optional("issuer", STRING, "the issuer whose metadata names the endpoints (give it or "
                    + "'token-endpoint')").withActionInput("issuer"),
            ParameterSpec.optional("token-endpoint", STRING, "the token endpoint (give it or 'issuer')")
                    .withActionInput("token-endpoint"),
            ParameterSpec.optional("revocation-endpoint", STRING, "an RFC 7009 endpoint, with 'token-endpoint'"),
            ParameterSpec.optional(ClientAuthentication.CLIENT_ID, STRING, "the OAuth client id")
                    .withActionInput("client-id"),
            ParameterSpec.optional(ClientAuthentication.CLIENT_AUTH, STRING, "client_secret_basic, "
                    + "client_secret_post or none"),
            ParameterSpec.optional(ClientAuthentication.CLIENT_SECRET_ENV, STRING, "the environment variable that "
                    + "holds the client secret (never the secret itself)").withActionInput("client-secret-env"),
            ParameterSpec.optional("env-var", STRING, "the variable the access token is exported as")
                    .withDefault("ACCESS_TOKEN"),
            ParameterSpec.optional("revoke", BOOLEAN, "revoke the tokens at cleanup when the server can")
                    .withDefault("true"));

    static final List<ParameterSpec> SCOPE = List.of(ParameterSpec.optional("scopes", LIST, "OAuth scopes to "
            + "ask for").withActionInput("scope"));

    /**
     * The server decides a token's lifetime and the grant cannot ask for one; the profile's lifetime only caps what
     * the job is told. One day is the bound because a bearer token that outlives a day is a standing secret by
     * another name, whatever the server allows.
     */
    static final Duration MAX_LIFETIME = Duration.ofDays(1);

    public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("jwt-bearer",
            "OAuth 2.0 JWT bearer grant (RFC 7523) with the CI token as assertion",
            COMMON, SCOPE, Duration.ofSeconds(1), parameters -> MAX_LIFETIME,
            JwtBearerDescriptor::defaultAudience, true, null, Set.of(), null)
            .exporting(ExportedNames::mayExport);

    private JwtBearerDescriptor() {
    }

    /** The server itself: its issuer, else its token endpoint, which is what such servers check {@code aud} against. */
    static Optional<String> defaultAudience(Map<String, Object> parameters) {
        return text(parameters, "issuer").or(() -> text(parameters, "token-endpoint"));
    }

    private static Optional<String> text(Map<String, Object> parameters, String name) {
        return parameters.get(name) instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }
}
