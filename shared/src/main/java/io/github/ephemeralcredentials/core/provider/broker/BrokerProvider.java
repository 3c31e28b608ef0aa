package io.github.ephemeralcredentials.core.provider.broker;

import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.core.provider.oauth.ClientAuthentication;
import io.github.ephemeralcredentials.core.provider.oauth.Form;
import io.github.ephemeralcredentials.core.provider.oauth.TokenEndpoint;
import java.time.Clock;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The client of the project's token-exchange service ({@code ephemeral-credentials serve}): the service verifies the
 * CI token, applies its own trust policy out of the job's reach, and issues the credential of the profile asked for
 * with keys no job ever sees (a GitHub App's, say).
 *
 * <p>Exchange: {@code POST {url}/token}, RFC 8693 §2.1 form {@code grant_type=urn:ietf:params:oauth:grant-type:
 * token-exchange}, {@code subject_token=<CI token>}, {@code subject_token_type=urn:ietf:params:oauth:token-type:
 * id_token}, {@code audience=<profile>}, no client authentication (the CI token is the client's proof). The answer
 * is read by {@link ServiceAnswer}; errors by {@link ServiceErrors}. Revocation: {@code POST {url}/revoke}, RFC 7009
 * form {@code token=<access_token>&token_type_hint=access_token}.
 *
 * <p>Parameters: {@code url} (the service's base URL; https, or http on loopback), {@code profile}. No scope: the
 * service's profile fixes it, as it fixes the lifetime.
 */
public final class BrokerProvider implements CredentialProvider {

    public static final String ID = "broker";
    public static final ProviderDescriptor DESCRIPTOR = BrokerDescriptor.DESCRIPTOR;
    static final String REVOCATION_KIND = "rfc7009";

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    /** The service's denials explain the policy claim by claim; they are repeated up to this many characters. */
    private static final int MAX_DESCRIPTION = 4000;
    private static final ClientAuthentication ANONYMOUS = new ClientAuthentication(ClientAuthentication.Method.NONE,
            null, null);

    private final TokenEndpoint endpoint;
    private final Retries retries;
    private final Clock clock;

    public BrokerProvider(OkHttpClient http, Retries retries, Clock clock) {
        // The service's client needs no secret of the host's: no environment to read.
        this.endpoint = new TokenEndpoint(ID, http, name -> null, clock, MAX_DESCRIPTION);
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
        Parameters parameters = Parameters.of(ID, request.parameters()).onlyKnown(DESCRIPTOR.parameterNames());
        Parameters.scope(ID, request.scope()).onlyKnown(DESCRIPTOR.scopeNames());
        HttpUrl base = base(parameters);
        String profile = parameters.required("profile", "deploy-prod");
        HttpUrl tokenUrl = under(base, "token");
        return retries.run(ID, request.ciToken(), ciToken -> {
            Form form = new Form().add("grant_type", GRANT_TYPE).add("subject_token", ciToken)
                    .add("subject_token_type", ID_TOKEN).add("audience", profile);
            TokenEndpoint.Answer answer = endpoint.requestAnswer(tokenUrl, form, ANONYMOUS,
                    new ServiceErrors(tokenUrl, profile));
            return new ServiceAnswer(tokenUrl).credential(answer, base.toString(), profile, clock.instant());
        });
    }

    /** Idempotent: the service answers 200 for a token it no longer knows (RFC 7009 §2.2). */
    @Override
    public void revoke(Revocation revocation) {
        if (!ID.equals(revocation.provider()) || !REVOCATION_KIND.equals(revocation.kind())) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, ID + " cannot perform a "
                    + revocation.provider() + "/" + revocation.kind() + " revocation; hand it to the "
                    + revocation.provider() + " provider");
        }
        Map<String, String> p = revocation.parameters();
        String token = p.get("token");
        if (token == null || p.get("url") == null) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, ID + ": the revocation data lacks the "
                    + "service's URL or the token; it was not made by this version");
        }
        HttpUrl revokeUrl = under(base(Parameters.of(ID, Map.of("url", p.get("url")))), "revoke");
        Form form = new Form().add("token", token).add("token_type_hint", "access_token");
        // Revocation does not send the CI token: the retry rule's token bound does not apply, so it gets none.
        retries.run(ID, () -> "", ignored -> {
            endpoint.revoke(revokeUrl, form, ANONYMOUS, new ServiceErrors(revokeUrl, null));
            return null;
        });
    }

    private static HttpUrl base(Parameters parameters) {
        return parameters.url("url", "https://credentials.example.com")
                .orElseThrow(() -> parameters.invalid("url", "is required (e.g. https://credentials.example.com)"));
    }

    /** {@code https://host/prefix} and {@code https://host/prefix/} both give {@code https://host/prefix/token}. */
    private static HttpUrl under(HttpUrl base, String endpoint) {
        return base.newBuilder().addPathSegment(endpoint).build();
    }
}
