package io.github.ephemeralcredentials.core.provider.oauth;

import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * RFC 8693 OAuth 2.0 Token Exchange: the CI token is the {@code subject_token}; the server returns a token for the
 * requested {@code audience}/{@code resource}/{@code scope}.
 *
 * <p>Parameters: {@code issuer} or {@code token-endpoint} (+ optional {@code revocation-endpoint}),
 * {@code client-id}, {@code client-auth} ({@code client_secret_basic} | {@code client_secret_post} | {@code none}),
 * {@code client-secret-env}, {@code audience}, {@code resource}, {@code requested-token-type},
 * {@code subject-token-type} ({@code jwt} | {@code id_token} | a token type URI), {@code subject-issuer} (Keycloak's
 * extension naming the identity provider that issued the subject token), {@code env-var} (default
 * {@code ACCESS_TOKEN}), {@code revoke} (default true). Scope: {@code scopes}.
 */
public final class TokenExchangeProvider implements CredentialProvider {

    public static final String ID = "token-exchange";
    public static final ProviderDescriptor DESCRIPTOR = TokenExchangeDescriptor.DESCRIPTOR;
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String TOKEN_TYPE_PREFIX = "urn:ietf:params:oauth:token-type:";


    private final TokenEndpoint endpoint;
    private final MetadataDiscovery discovery;
    private final Retries retries;
    private final Clock clock;

    /**
     * @param environment reads the client secret variable named by {@code client-secret-env}
     */
    public TokenExchangeProvider(OkHttpClient http, Retries retries, Function<String, String> environment, Clock clock) {
        this.endpoint = new TokenEndpoint(ID, http, environment, clock);
        this.discovery = new MetadataDiscovery(ID, http);
        this.retries = retries;
        this.clock = clock;
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
        ClientAuthentication.refuseWrittenSecret(ID, request.parameters());
        Parameters parameters = Parameters.of(ID, request.parameters()).onlyKnown(DESCRIPTOR.parameterNames());
        OAuthProfile profile = OAuthProfile.from(ID, parameters, request.scope());
        Form fields = new Form()
                .add("grant_type", GRANT_TYPE)
                .add("subject_token_type", tokenType(parameters, "subject-token-type").orElse(TOKEN_TYPE_PREFIX + "jwt"));
        parameters.optional("subject-issuer").ifPresent(v -> fields.add("subject_issuer", v));
        tokenType(parameters, "requested-token-type").ifPresent(v -> fields.add("requested_token_type", v));
        List<String> resources = parameters.spaceSeparated("resource");
        resources.forEach(r -> requireAbsoluteUri(parameters, r));
        fields.addAll("audience", parameters.spaceSeparated("audience")).addAll("resource", resources);
        if (!profile.scopes().isEmpty()) {
            fields.add("scope", String.join(" ", profile.scopes()));
        }
        return retries.run(ID, request.ciToken(), ciToken -> {
            ServerMetadata server = profile.server(discovery);
            Form form = fields.copy().add("subject_token", ciToken);
            TokenResponse token = endpoint.requestToken(server.tokenEndpoint(), form,
                    profile.client(), new OAuthErrors(ID, server.tokenEndpoint(), profile.client().clientId(),
                            request.claims(), "subject_token", clock));
            return OAuthCredentials.of(ID, profile, server, token, clock.instant(), request.lifetime());
        });
    }

    @Override
    public void revoke(Revocation revocation) {
        Rfc7009.revoke(ID, revocation, endpoint, retries, clock);
    }

    /** {@code jwt}, {@code id_token}, {@code access_token}... are short for the RFC 8693 §3 URIs. */
    private static java.util.Optional<String> tokenType(Parameters parameters, String name) {
        return parameters.optional(name).map(v -> {
            if (v.matches("[a-z_]+")) {
                return TOKEN_TYPE_PREFIX + v;
            }
            if (!v.contains(":")) {
                throw parameters.invalid("'" + name + "' '" + v + "' is neither a short name (jwt, id_token, "
                        + "access_token) nor a token type URI");
            }
            return v;
        });
    }

    private static void requireAbsoluteUri(Parameters parameters, String resource) {
        try {
            URI uri = new URI(resource);
            if (!uri.isAbsolute() || uri.getFragment() != null) {
                throw parameters.invalid("'resource' '" + resource + "' must be an absolute URI without a fragment "
                        + "(RFC 8693 §2.1)");
            }
        } catch (java.net.URISyntaxException e) {
            throw parameters.invalid("'resource' '" + resource + "' is not a URI: " + e.getReason());
        }
    }
}
