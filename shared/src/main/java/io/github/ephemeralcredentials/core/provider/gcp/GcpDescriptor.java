package io.github.ephemeralcredentials.core.provider.gcp;

import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.BOOLEAN;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.LIST;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.STRING;

import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Google Cloud provider as data (see {@link GcpProvider}). A class of its own so that reading it loads none of
 * the provider's code.
 */
public final class GcpDescriptor {

    static final String WORKLOAD_IDENTITY_PROVIDER = "workload-identity-provider";
    /**
     * generateAccessToken's {@code lifetime} range: 1 s to 12 h. Above one hour Google also needs the organization
     * policy constraints/iam.allowServiceAccountCredentialLifetimeExtension, which only the call can tell; a profile
     * may therefore ask up to 12 h and Google has the last word.
     */
    static final Duration MIN_LIFETIME = Duration.ofSeconds(1);
    static final Duration MAX_LIFETIME = Duration.ofHours(12);

    public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("gcp",
            "Google Cloud workload identity federation, optionally impersonating a service account",
            List.of(
                    ParameterSpec.required(WORKLOAD_IDENTITY_PROVIDER, STRING, "the pool provider's resource name, "
                            + "projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER")
                            .withActionInput("workload-identity-provider"),
                    ParameterSpec.optional("service-account", STRING, "the service account to impersonate (email "
                            + "or unique ID); direct federated access without it").withActionInput("service-account"),
                    ParameterSpec.optional("delegates", LIST, "service accounts delegating to the impersonated one, "
                            + "in order"),
                    ParameterSpec.optional("sts-endpoint", STRING, "Google STS's token URL (Private Service "
                            + "Connect, tests)").withDefault(GcpProvider.DEFAULT_STS),
                    ParameterSpec.optional("iamcredentials-endpoint", STRING, "IAM Credentials' base URL (Private "
                            + "Service Connect, tests)").withDefault(GcpProvider.DEFAULT_IAM_CREDENTIALS),
                    ParameterSpec.optional("credentials-file", BOOLEAN, "write an external_account credentials file "
                            + "for client libraries and gcloud").withDefault("false")
                            .withActionInput("create-credentials-file"),
                    ParameterSpec.optional("credentials-dir", STRING, "where the credentials file goes; the host's "
                            + "directory without it"),
                    ParameterSpec.optional("export-access-token", BOOLEAN, "export the access token")
                            .withDefault("true")),
            List.of(ParameterSpec.optional("scopes", LIST, "OAuth scopes of the access token")
                    .withDefault(GcpProvider.CLOUD_PLATFORM).withActionInput("access-token-scopes")),
            MIN_LIFETIME,
            parameters -> MAX_LIFETIME,
            // The audience Google's guide and google-github-actions/auth use: the provider's resource name as a URL.
            GcpDescriptor::defaultAudience,
            true, "access-token-lifetime", Set.of("workload-identity-provider"), null)
            .exporting(Set.of("CLOUDSDK_AUTH_ACCESS_TOKEN", "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE", "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_OAUTH_ACCESS_TOKEN", "GOOGLE_GHA_CREDS_PATH", "CLOUDSDK_CORE_PROJECT", "GCLOUD_PROJECT", "GOOGLE_CLOUD_PROJECT", "CLOUDSDK_PROJECT"));

    private GcpDescriptor() {
    }

    private static Optional<String> defaultAudience(Map<String, Object> parameters) {
        return parameters.get(WORKLOAD_IDENTITY_PROVIDER) instanceof String name && !name.isBlank()
                ? Optional.of("https://iam.googleapis.com/"
                + name.replaceFirst("^/+", "").replaceFirst("^iam\\.googleapis\\.com/", ""))
                : Optional.empty();
    }
}
