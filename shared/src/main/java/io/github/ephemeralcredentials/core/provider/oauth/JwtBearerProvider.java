package io.github.ephemeralcredentials.core.provider.oauth;

import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.time.Clock;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * RFC 7523 §2.1 JWT bearer authorization grant: the CI token is the {@code assertion}. Its {@code aud} must name
 * the authorization server (§3 item 3), so the CI token is minted for that audience.
 *
 * <p>Parameters: {@code issuer} or {@code token-endpoint} (+ optional {@code revocation-endpoint}),
 * {@code client-id}, {@code client-auth}, {@code client-secret-env}, {@code env-var} (default
 * {@code ACCESS_TOKEN}), {@code revoke} (default true). Scope: {@code scopes}.
 */
public final class JwtBearerProvider implements CredentialProvider {

    public static final String ID = "jwt-bearer";
    public static final ProviderDescriptor DESCRIPTOR = JwtBearerDescriptor.DESCRIPTOR;
    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final TokenEndpoint endpoint;
    private final MetadataDiscovery discovery;
    private final Retries retries;
    private final Clock clock;

    /**
     * @param environment reads the client secret variable named by {@code client-secret-env}
     */
    public JwtBearerProvider(OkHttpClient http, Retries retries, Function<String, String> environment, Clock clock) {
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
        Form fields = new Form().add("grant_type", GRANT_TYPE);
        if (!profile.scopes().isEmpty()) {
            fields.add("scope", String.join(" ", profile.scopes()));
        }
        return retries.run(ID, request.ciToken(), ciToken -> {
            ServerMetadata server = profile.server(discovery);
            TokenResponse token = endpoint.requestToken(server.tokenEndpoint(), fields.copy().add("assertion", ciToken),
                    profile.client(), new OAuthErrors(ID, server.tokenEndpoint(), profile.client().clientId(),
                            request.claims(), "assertion", clock));
            return OAuthCredentials.of(ID, profile, server, token, clock.instant(), request.lifetime());
        });
    }

    @Override
    public void revoke(Revocation revocation) {
        Rfc7009.revoke(ID, revocation, endpoint, retries, clock);
    }
}
