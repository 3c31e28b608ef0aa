package io.github.ephemeralcredentials.core.provider.oauth;

import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * RFC 7009 token revocation as {@link Revocation} data (kind {@value #KIND}): the endpoint, the token, its type hint
 * and the client authentication, minus the client secret, which the revoking process reads from the same variable.
 */
public final class Rfc7009 {

    public static final String KIND = "rfc7009";

    private Rfc7009() {
    }

    public static Revocation revocation(String provider, HttpUrl endpoint, String token, String typeHint,
                                        ClientAuthentication client) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("endpoint", endpoint.toString());
        p.put("token", token);
        p.put("token-type-hint", typeHint);
        p.putAll(client.toRevocationParameters());
        return new Revocation(provider, KIND, p);
    }

    /** Performs a revocation made by {@link #revocation}, retrying only while the server is unavailable. */
    public static void revoke(String provider, Revocation revocation, TokenEndpoint endpoint, Retries retries, Clock clock) {
        if (!provider.equals(revocation.provider()) || !KIND.equals(revocation.kind())) {
            throw new ProviderException(provider, Reason.INVALID_PARAMETERS, null, provider + " cannot perform a "
                    + revocation.provider() + "/" + revocation.kind() + " revocation; hand it to the "
                    + revocation.provider() + " provider");
        }
        Map<String, String> p = revocation.parameters();
        String token = p.get("token");
        String target = p.get("endpoint");
        if (token == null || target == null) {
            throw new ProviderException(provider, Reason.INVALID_PARAMETERS, null, provider
                    + ": the revocation data lacks its endpoint or token; it was not made by this version");
        }
        HttpUrl url = EndpointUrl.parse(provider, "revocation endpoint", target, Reason.INVALID_PARAMETERS);
        ClientAuthentication client = ClientAuthentication.fromRevocation(provider, p);
        Form form = new Form().add("token", token);
        if (p.get("token-type-hint") != null) {
            form.add("token_type_hint", p.get("token-type-hint"));
        }
        OAuthErrors errors = new OAuthErrors(provider, url, client.clientId(), Claims.of(Map.of()), "token", clock);
        // Revocation does not send the CI token: the retry rule's token bound does not apply, so it gets none.
        retries.run(provider, () -> "", ignored -> {
            endpoint.revoke(url, form, client, errors);
            return null;
        });
    }
}
