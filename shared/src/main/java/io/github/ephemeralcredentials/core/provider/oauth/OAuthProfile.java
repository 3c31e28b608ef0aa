package io.github.ephemeralcredentials.core.provider.oauth;

import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The profile parameters every OAuth grant provider shares: where the server is, how the client authenticates,
 * which scopes to ask for, and which variable receives the token.
 *
 * @param issuer             issuer to discover endpoints from, or {@code null} when {@code tokenEndpoint} is given
 * @param tokenEndpoint      the token endpoint when configured directly, else {@code null}
 * @param revocationEndpoint an RFC 7009 endpoint configured directly, else {@code null}
 * @param client             client authentication
 * @param scopes             OAuth scopes to request, from the profile's scope {@code scopes}; may be empty
 * @param envVar             the variable the access token is exported as
 * @param revoke             whether to revoke the issued tokens at cleanup when the server can
 */
record OAuthProfile(String issuer, HttpUrl tokenEndpoint, HttpUrl revocationEndpoint, ClientAuthentication client,
                    List<String> scopes, String envVar, boolean revoke) {


    private static final Pattern ENV_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    OAuthProfile {
        Objects.requireNonNull(client, "client");
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(envVar, "envVar");
    }

    static OAuthProfile from(String provider, Parameters parameters, Map<String, Object> scope) {
        String issuer = parameters.optional("issuer").orElse(null);
        String token = parameters.optional("token-endpoint").orElse(null);
        String revocation = parameters.optional("revocation-endpoint").orElse(null);
        if ((issuer == null) == (token == null)) {
            throw parameters.invalid("give exactly one of 'issuer' (endpoints are discovered from its metadata) "
                    + "and 'token-endpoint'");
        }
        if (revocation != null && token == null) {
            throw parameters.invalid("'revocation-endpoint' goes with 'token-endpoint'; with 'issuer' it is "
                    + "discovered from the server's metadata");
        }
        if (issuer != null) {
            EndpointUrl.parse(provider, "'issuer'", issuer, Reason.INVALID_PARAMETERS);
        }
        String envVar = parameters.optional("env-var").orElse("ACCESS_TOKEN");
        if (!ENV_VAR.matcher(envVar).matches()) {
            throw parameters.invalid("'env-var' '" + envVar + "' is not a valid environment variable name "
                    + "(letters, digits, '_', not starting with a digit)");
        }
        Parameters.scope(provider, scope).onlyKnown(Set.of("scopes"));
        return new OAuthProfile(issuer,
                token == null ? null : EndpointUrl.parse(provider, "'token-endpoint'", token, Reason.INVALID_PARAMETERS),
                revocation == null ? null : EndpointUrl.parse(provider, "'revocation-endpoint'", revocation, Reason.INVALID_PARAMETERS),
                ClientAuthentication.from(parameters),
                Parameters.scope(provider, scope).spaceSeparated("scopes"),
                envVar,
                parameters.flag("revoke", true));
    }

    /** The server's endpoints: configured ones, or discovered from the issuer's metadata. */
    ServerMetadata server(MetadataDiscovery discovery) {
        return issuer == null ? new ServerMetadata(null, tokenEndpoint, revocationEndpoint) : discovery.discover(issuer);
    }
}
