package io.github.ephemeralcredentials.core.provider.azure;

import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.core.provider.oauth.ClientAuthentication;
import io.github.ephemeralcredentials.core.provider.oauth.EndpointUrl;
import io.github.ephemeralcredentials.core.provider.oauth.Form;
import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.provider.oauth.TokenEndpoint;
import io.github.ephemeralcredentials.core.provider.oauth.TokenResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Azure Entra workload identity federation: the CI token is the {@code client_assertion} of a
 * {@code client_credentials} grant for an app registration (or user-assigned managed identity) that has a
 * federated identity credential for the CI issuer, subject and audience.
 *
 * <p>Parameters: {@code tenant-id} (GUID or verified domain), {@code client-id} (GUID), {@code cloud}
 * ({@code public} | {@code usgov} | {@code china}, default public) or {@code authority-host} (an https URL) or
 * {@code token-endpoint} (a full URL, for a proxy or a test server), {@code resource} (default
 * {@code https://management.azure.com}; scope {@code scopes} may give the one {@code <resource>/.default} instead),
 * {@code env-var} (default {@code AZURE_ACCESS_TOKEN}), {@code federated-token-file} (true: also write the CI token
 * to a 0600 file for the Azure SDKs' {@code WorkloadIdentityCredential}, which re-read it for every token they get,
 * so a host where nothing keeps it fresh refuses it), {@code federated-token-dir} (default the host's directory,
 * {@link CredentialsFileHost}).
 * Entra has no revocation for access tokens: they end at their expiry.
 */
public final class AzureProvider implements CredentialProvider {

    public static final String ID = "azure";
    public static final ProviderDescriptor DESCRIPTOR = AzureDescriptor.DESCRIPTOR;
    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static final String DEFAULT_RESOURCE = "https://management.azure.com";

    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENV_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final TokenEndpoint endpoint;
    private final Retries retries;
    private final Clock clock;
    private final CredentialsFileHost files;

    /** A federated token file goes, private to this process's user, to the system's temporary directory. */
    public AzureProvider(OkHttpClient http, Retries retries, Clock clock) {
        this(http, retries, clock, CredentialsFileHost.privateIn(Path.of(System.getProperty("java.io.tmpdir"))));
    }

    /** @param files where a federated token file goes when the profile names no directory, and who may read it */
    public AzureProvider(OkHttpClient http, Retries retries, Clock clock, CredentialsFileHost files) {
        // Entra takes no client secret here: the CI token is the credential.
        this.endpoint = new TokenEndpoint(ID, http, name -> null, clock);
        this.retries = retries;
        this.clock = clock;
        this.files = java.util.Objects.requireNonNull(files, "files");
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
        String tenant = tenant(parameters);
        String clientId = parameters.required("client-id", "00000000-0000-0000-0000-000000000000");
        if (!GUID.matcher(clientId).matches()) {
            throw parameters.invalid("'client-id' '" + clientId + "' is not a GUID; use the Application (client) "
                    + "ID of the app registration or managed identity, not its name or object ID");
        }
        String authorityHost = authorityHost(parameters);
        HttpUrl tokenUrl = parameters.optional("token-endpoint")
                .map(t -> EndpointUrl.parse(ID, "'token-endpoint'", t, Reason.INVALID_PARAMETERS))
                .orElseGet(() -> EndpointUrl.parse(ID, "token endpoint", authorityHost + "/" + tenant + "/oauth2/v2.0/token",
                        Reason.INVALID_PARAMETERS));
        String scope = scope(parameters, request.scope());
        String envVar = parameters.optional("env-var").orElse("AZURE_ACCESS_TOKEN");
        if (!ENV_VAR.matcher(envVar).matches()) {
            throw parameters.invalid("'env-var' '" + envVar + "' is not a valid environment variable name");
        }
        FederatedTokenFile tokenFile = parameters.flag("federated-token-file", false)
                ? new FederatedTokenFile(files, parameters.optional("federated-token-dir").map(Path::of).orElse(null))
                : null;
        if (tokenFile == null && parameters.optional("federated-token-dir").isPresent()) {
            throw parameters.invalid("'federated-token-dir' is set but 'federated-token-file' is not true");
        }
        if (tokenFile != null) {
            files.checkCiTokenFile(ID, "federated-token-file", "remove it from the profile and use the exported "
                    + "access token (" + envVar + "), which is valid until its expiration");
        }
        ClientAuthentication client = new ClientAuthentication(ClientAuthentication.Method.NONE, clientId, null);
        Form fields = new Form()
                .add("grant_type", "client_credentials")
                .add("scope", scope)
                .add("client_assertion_type", ASSERTION_TYPE);
        AzureErrors errors = new AzureErrors(tokenUrl, tenant, clientId, request.claims(), clock);
        String[] usedToken = new String[1];
        TokenResponse token = retries.run(ID, request.ciToken(), ciToken -> {
            usedToken[0] = ciToken;
            return endpoint.requestToken(tokenUrl, fields.copy().add("client_assertion", ciToken), client, errors);
        });
        if (token.expiresAt() == null) {
            throw new ProviderException(ID, Reason.UNEXPECTED_RESPONSE, null, "azure: " + tokenUrl.host()
                    + " issued a token without expires_in; Entra always sends it, so this is not an Entra token endpoint");
        }

        List<CredentialValue> values = new ArrayList<>();
        values.add(CredentialValue.plain("client-id", clientId, "AZURE_CLIENT_ID"));
        values.add(CredentialValue.plain("tenant-id", tenant, "AZURE_TENANT_ID"));
        values.add(CredentialValue.secret("access-token", token.accessToken(), envVar));
        values.add(CredentialValue.plain("expiration", token.expiresAt().toString(), null));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("tenant-id", tenant);
        facts.put("client-id", clientId);
        facts.put("principal", clientId);
        facts.put("token-endpoint", tokenUrl.toString());
        facts.put("scope", scope);
        List<Path> written = List.of();
        if (tokenFile != null) {
            Path file = tokenFile.write(usedToken[0]);
            written = List.of(file);
            values.add(CredentialValue.plain("federated-token-file", files.jobPath(file), "AZURE_FEDERATED_TOKEN_FILE"));
            values.add(CredentialValue.plain("authority-host", authorityHost, "AZURE_AUTHORITY_HOST"));
        }
        return new EphemeralCredential(ID, values, facts, token.expiresAt(), List.of(), written);
    }

    @Override
    public void revoke(Revocation revocation) {
        throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "azure issues no revocations: Entra access "
                + "tokens cannot be revoked and end at their expiry; a " + revocation.provider() + "/"
                + revocation.kind() + " revocation belongs to another provider");
    }

    private static String tenant(Parameters parameters) {
        String tenant = parameters.required("tenant-id", "00000000-0000-0000-0000-000000000000 or contoso.onmicrosoft.com");
        String lower = tenant.toLowerCase(Locale.ROOT);
        if (Set.of("common", "organizations", "consumers").contains(lower)) {
            throw parameters.invalid("'tenant-id' '" + tenant + "' is a multi-tenant alias; client_credentials needs "
                    + "the tenant that holds the app: give its GUID or verified domain");
        }
        if (!GUID.matcher(tenant).matches() && !DOMAIN.matcher(tenant).matches()) {
            throw parameters.invalid("'tenant-id' '" + tenant + "' is neither a GUID nor a domain name "
                    + "(e.g. contoso.onmicrosoft.com)");
        }
        return tenant;
    }

    private static String authorityHost(Parameters parameters) {
        var cloud = parameters.optional("cloud");
        var custom = parameters.optional("authority-host");
        if (cloud.isPresent() && custom.isPresent()) {
            throw parameters.invalid("give either 'cloud' or 'authority-host', not both");
        }
        if (custom.isPresent()) {
            HttpUrl url = EndpointUrl.parse(ID, "'authority-host'", custom.get(), Reason.INVALID_PARAMETERS);
            if (!url.encodedPath().equals("/") || url.query() != null) {
                throw parameters.invalid("'authority-host' '" + custom.get() + "' must be a scheme and host only "
                        + "(e.g. https://login.microsoftonline.us); the tenant and path are added");
            }
            return custom.get().replaceAll("/+$", "");
        }
        String name = cloud.orElse(AzureCloud.PUBLIC.parameter());
        return AzureCloud.named(name).orElseThrow(() -> parameters.invalid("'cloud' '" + name
                + "' is not known; use public, usgov or china, or give 'authority-host'")).authorityHost();
    }

    private static String scope(Parameters parameters, Map<String, Object> scopeMap) {
        Parameters.scope(ID, scopeMap).onlyKnown(DESCRIPTOR.scopeNames());
        List<String> scopes = scopeMap.containsKey("scopes")
                ? Parameters.scope(ID, scopeMap).spaceSeparated("scopes") : List.of();
        var resource = parameters.optional("resource");
        if (!scopes.isEmpty() && resource.isPresent()) {
            throw parameters.invalid("give either the parameter 'resource' or the scope 'scopes', not both");
        }
        if (scopes.isEmpty()) {
            String r = resource.orElse(DEFAULT_RESOURCE).replaceAll("/+$", "");
            if (r.endsWith("/.default")) {
                throw parameters.invalid("'resource' '" + r + "' already ends with /.default; give the resource only");
            }
            return r + "/.default";
        }
        // client_credentials takes the application permissions of one resource, named by its .default scope.
        if (scopes.size() != 1 || !scopes.get(0).endsWith("/.default")) {
            throw new ProviderException(ID, Reason.INVALID_SCOPE, null, "azure: 'scopes' " + scopes + " must be "
                    + "exactly one '<resource>/.default' (the client credentials flow grants the app's configured "
                    + "permissions on one resource)");
        }
        return scopes.get(0);
    }
}
