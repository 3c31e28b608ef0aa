package io.github.ephemeralcredentials.core.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Google Cloud workload identity federation: the CI token is exchanged at Google's STS for a federated access token
 * (RFC 8693 in Google's JSON form), which may then impersonate a service account through IAM Credentials
 * {@code generateAccessToken}. Optionally writes an {@code external_account} credentials file for client libraries
 * and gcloud.
 *
 * <p>Parameters: {@code workload-identity-provider} ({@code projects/NUMBER/locations/global/workloadIdentityPools/
 * POOL/providers/PROVIDER}, with or without {@code //iam.googleapis.com/}), {@code service-account} (email or
 * unique ID; omit for direct federated access), {@code delegates} (list), {@code sts-endpoint} (full token URL,
 * default {@code https://sts.googleapis.com/v1/token}), {@code iamcredentials-endpoint} (base URL, default
 * {@code https://iamcredentials.googleapis.com}; both for Private Service Connect or tests), {@code credentials-file}
 * (true to write the file), {@code credentials-dir} (where; default the directory the host gives, see
 * {@link CredentialsFileHost}, else the system temporary directory), {@code export-access-token} (default true).
 * Scope: {@code scopes} (default cloud-platform). Google access tokens cannot be revoked: they end at their expiry;
 * the files are deleted at cleanup.
 */
public final class GcpProvider implements CredentialProvider {

    public static final String ID = "gcp";
    public static final ProviderDescriptor DESCRIPTOR = GcpDescriptor.DESCRIPTOR;
    static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";
    static final String DEFAULT_STS = "https://sts.googleapis.com/v1/token";
    static final String DEFAULT_IAM_CREDENTIALS = "https://iamcredentials.googleapis.com";
    static final Duration MAX_LIFETIME = GcpDescriptor.MAX_LIFETIME;

    /** Emails of user-managed and default service accounts, or a numeric unique ID. */
    private static final Pattern SERVICE_ACCOUNT = Pattern.compile(
            "[a-z0-9][a-z0-9._-]{0,62}@[a-z0-9][a-z0-9.:-]{0,126}\\.gserviceaccount\\.com|[0-9]{15,25}");

    private final GoogleApi api;
    private final Retries retries;
    private final Clock clock;
    private final CredentialsFileHost files;

    /** Credentials files go to the JVM's temporary directory unless a profile names {@code credentials-dir}. */
    public GcpProvider(OkHttpClient http, Retries retries, Clock clock) {
        this(http, retries, clock, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param fileDir where the credentials file goes, private to this process, when the profile names no
     *                {@code credentials-dir}; keep it outside the job's workspace so the file is never archived or
     *                cached with it
     */
    public GcpProvider(OkHttpClient http, Retries retries, Clock clock, Path fileDir) {
        this(http, retries, clock, CredentialsFileHost.privateIn(fileDir));
    }

    /** @param files where the credentials file goes, who reads it, and what its {@code credential_source} is */
    public GcpProvider(OkHttpClient http, Retries retries, Clock clock, CredentialsFileHost files) {
        this.api = new GoogleApi(http);
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
        Parameters scope = Parameters.scope(ID, request.scope()).onlyKnown(DESCRIPTOR.scopeNames());
        WorkloadIdentityProvider wip = WorkloadIdentityProvider.parse(
                parameters.required("workload-identity-provider",
                        "projects/123456789012/locations/global/workloadIdentityPools/ci-pool/providers/github"),
                parameters);
        String serviceAccount = parameters.optional("service-account").map(s -> serviceAccount(s, parameters)).orElse(null);
        List<String> delegates = parameters.list("delegates").stream().map(d -> delegate(d, parameters)).toList();
        if (serviceAccount == null && !delegates.isEmpty()) {
            throw parameters.invalid("'delegates' needs 'service-account': delegation is a chain towards the "
                    + "service account being impersonated");
        }
        HttpUrl stsUrl = endpoint(parameters, "sts-endpoint", DEFAULT_STS);
        HttpUrl iamBase = endpoint(parameters, "iamcredentials-endpoint", DEFAULT_IAM_CREDENTIALS);
        List<String> scopes = scope.list("scopes").isEmpty() ? List.of(CLOUD_PLATFORM) : scope.list("scopes");
        for (String s : scopes) {
            if (!s.startsWith("https://www.googleapis.com/auth/") && !s.matches("openid|email|profile")) {
                throw scope.invalid("scope '" + s + "' is not a Google OAuth scope; write the full URL, like " + CLOUD_PLATFORM);
            }
        }
        String lifetime = serviceAccount == null ? null : lifetime(request.lifetime(), parameters);
        boolean writeFile = parameters.flag("credentials-file", false);
        Path directory = parameters.optional("credentials-dir").map(Path::of).orElse(files.directory());
        if (writeFile && !Files.isDirectory(directory)) {
            throw parameters.optional("credentials-dir").isPresent()
                    ? parameters.invalid("'credentials-dir' " + directory + " is not a directory; give an existing "
                    + "directory outside the workspace (the CI system's temporary directory)")
                    : parameters.invalid("the credentials file's directory " + directory + " does not exist; "
                    + "check that the job's workspace exists (a checkout step creates it) or set 'credentials-dir'");
        }
        boolean exportToken = parameters.flag("export-access-token", true);
        if (!exportToken && !writeFile) {
            throw parameters.invalid("'export-access-token' is false and 'credentials-file' is not true: the "
                    + "exchange would hand out nothing; set one of them");
        }

        String[] usedCiToken = new String[1];
        Instant stsSent = clock.instant();
        JsonNode federated = retries.run(ID, request.ciToken(), ciToken -> {
            usedCiToken[0] = ciToken;
            ObjectNode body = GoogleApi.JSON.createObjectNode()
                    .put("audience", wip.audience())
                    .put("grantType", "urn:ietf:params:oauth:grant-type:token-exchange")
                    .put("requestedTokenType", "urn:ietf:params:oauth:token-type:access_token")
                    .put("scope", CLOUD_PLATFORM)
                    .put("subjectTokenType", ExternalAccountFile.SUBJECT_TOKEN_TYPE)
                    .put("subjectToken", ciToken);
            return api.post(stsUrl, body, null, e -> GoogleErrors.sts(e, wip, request.claims()), ciToken);
        });
        String federatedToken = text(federated, "access_token");
        long expiresIn = federated.path("expires_in").asLong(0);
        if (federatedToken == null || expiresIn <= 0) {
            throw new ProviderException(ID, Reason.UNEXPECTED_RESPONSE, null, "gcp: " + stsUrl + " answered without "
                    + (federatedToken == null ? "access_token" : "a positive expires_in") + "; check 'sts-endpoint'");
        }
        String federatedPrincipal = wip.principal(request.claims().subject());

        String accessToken = federatedToken;
        Instant expiresAt = stsSent.plusSeconds(expiresIn);
        String impersonationUrl = null;
        if (serviceAccount != null) {
            HttpUrl url = iamBase.newBuilder().addPathSegments("v1/projects/-/serviceAccounts")
                    .addPathSegment(serviceAccount + ":generateAccessToken").build();
            impersonationUrl = url.toString();
            ObjectNode body = GoogleApi.JSON.createObjectNode();
            if (!delegates.isEmpty()) {
                delegates.forEach(body.putArray("delegates")::add);
            }
            scopes.forEach(body.putArray("scope")::add);
            body.put("lifetime", lifetime);
            String sa = serviceAccount;
            JsonNode generated = retries.run(ID, () -> federatedToken, t -> api.post(url, body, federatedToken,
                    e -> GoogleErrors.impersonation(e, sa, federatedPrincipal, wip, lifetime), federatedToken,
                    usedCiToken[0]));
            accessToken = text(generated, "accessToken");
            String expireTime = text(generated, "expireTime");
            if (accessToken == null || expireTime == null) {
                throw new ProviderException(ID, Reason.UNEXPECTED_RESPONSE, null, "gcp: " + url.host() + " answered "
                        + "without accessToken or expireTime; check 'iamcredentials-endpoint'");
            }
            try {
                expiresAt = Instant.parse(expireTime);
            } catch (DateTimeParseException e) {
                throw new ProviderException(ID, Reason.UNEXPECTED_RESPONSE, null, "gcp: " + url.host()
                        + " answered an expireTime that is not an RFC 3339 time");
            }
        }

        List<CredentialValue> values = new ArrayList<>();
        if (exportToken) {
            values.add(CredentialValue.secret("access-token", accessToken, "GOOGLE_OAUTH_ACCESS_TOKEN"));
            values.add(CredentialValue.secret("cloudsdk-access-token", accessToken, "CLOUDSDK_AUTH_ACCESS_TOKEN"));
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("principal", serviceAccount != null ? serviceAccount : federatedPrincipal);
        facts.put("federated-principal", federatedPrincipal);
        facts.put("workload-identity-provider", wip.resourceName());
        facts.put("scopes", String.join(" ", scopes));
        facts.put("scope", String.join(" ", scopes));
        facts.put("expiration", expiresAt.toString());
        List<Path> written = List.of();
        if (writeFile) {
            Long lifetimeSeconds = lifetime == null ? null : Long.parseLong(lifetime.substring(0, lifetime.length() - 1));
            List<String> audiences = request.claims().audience();
            ExternalAccountFile.Written file = new ExternalAccountFile(files, directory).write(usedCiToken[0],
                    audiences.size() == 1 ? audiences.get(0) : null, wip, stsUrl.toString(), impersonationUrl,
                    lifetimeSeconds);
            written = file.files();
            // The output name action.yml declares, google-github-actions/auth's credentials_file_path in our spelling.
            values.add(CredentialValue.plain("credentials-file-path", file.jobPath(), "GOOGLE_APPLICATION_CREDENTIALS"));
            values.add(CredentialValue.plain("cloudsdk-credential-file", file.jobPath(),
                    "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE"));
            facts.put("credentials-file-path", file.jobPath());
        }
        return new EphemeralCredential(ID, values, facts, expiresAt, List.of(), written);
    }

    @Override
    public void revoke(Revocation revocation) {
        throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "gcp issues no revocations: federated and "
                + "service account access tokens end at their expiry; a " + revocation.provider() + "/"
                + revocation.kind() + " revocation belongs to another provider");
    }

    private static String serviceAccount(String text, Parameters parameters) {
        String sa = text.toLowerCase(Locale.ROOT); // emails are case-insensitive; Google lists them in lower case
        if (sa.startsWith("projects/")) {
            throw parameters.invalid("'service-account' '" + text + "' is a resource name; give only the email, like "
                    + "deployer@my-project.iam.gserviceaccount.com");
        }
        if (!SERVICE_ACCOUNT.matcher(sa).matches()) {
            throw parameters.invalid("'service-account' '" + text + "' is not a service account email (NAME@PROJECT"
                    + ".iam.gserviceaccount.com) or unique ID; e.g. deployer@my-project.iam.gserviceaccount.com");
        }
        return sa;
    }

    private static String delegate(String text, Parameters parameters) {
        String email = text.startsWith("projects/-/serviceAccounts/") ? text.substring("projects/-/serviceAccounts/".length()) : text;
        if (!SERVICE_ACCOUNT.matcher(email).matches()) {
            throw parameters.invalid("'delegates' entry '" + text + "' is not a service account email or unique ID");
        }
        return "projects/-/serviceAccounts/" + email;
    }

    /** generateAccessToken's {@code lifetime}: whole seconds, "NNNs", 1 s to 12 h (above 1 h needs an org policy). */
    private static String lifetime(Duration requested, Parameters parameters) {
        long seconds = requested.toSeconds() + (requested.toNanosPart() > 0 ? 1 : 0);
        if (seconds < 1 || requested.compareTo(MAX_LIFETIME) > 0) {
            throw parameters.invalid("the requested lifetime " + requested + " is out of range for service account "
                    + "impersonation: give 1 second to 12 hours (more than 1 hour only with the organization policy "
                    + "constraints/iam.allowServiceAccountCredentialLifetimeExtension)");
        }
        return seconds + "s";
    }

    private static HttpUrl endpoint(Parameters parameters, String name, String fallback) {
        return parameters.url(name, fallback).orElseGet(() -> HttpUrl.get(fallback));
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || !v.isTextual() || v.asText().isEmpty() ? null : v.asText();
    }
}
