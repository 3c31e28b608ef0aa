package io.github.ephemeralcredentials.core.provider.azure;

import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.BOOLEAN;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.LIST;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.STRING;

import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Azure provider as data (see {@link AzureProvider}). A class of its own so that reading it loads none of the
 * provider's code.
 */
public final class AzureDescriptor {

    public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("azure",
            "Azure Entra workload identity federation (client credentials with the CI token as assertion)",
            List.of(
                    ParameterSpec.required("tenant-id", STRING, "the tenant that holds the app: its GUID or a "
                            + "verified domain").withActionInput("tenant-id"),
                    ParameterSpec.required("client-id", STRING, "the Application (client) ID of the app "
                            + "registration or managed identity").withActionInput("client-id"),
                    ParameterSpec.optional("cloud", STRING, "public, usgov or china").withDefault("public"),
                    ParameterSpec.optional("authority-host", STRING, "the login host of another cloud, an https "
                            + "URL"),
                    ParameterSpec.optional("token-endpoint", STRING, "the full token URL (a proxy, a test server)")
                            .withActionInput("token-endpoint"),
                    ParameterSpec.optional("resource", STRING, "the resource the token is for")
                            .withDefault(AzureProvider.DEFAULT_RESOURCE),
                    ParameterSpec.optional("env-var", STRING, "the variable the access token is exported as")
                            .withDefault("AZURE_ACCESS_TOKEN"),
                    ParameterSpec.optional("federated-token-file", BOOLEAN, "also write the CI token to a file for "
                            + "the Azure SDKs' WorkloadIdentityCredential").withDefault("false"),
                    ParameterSpec.optional("federated-token-dir", STRING, "where that file goes; the host's "
                            + "directory without it")),
            List.of(ParameterSpec.optional("scopes", LIST, "the one <resource>/.default scope, instead of "
                    + "'resource'").withActionInput("scope")),
            // Entra decides an access token's lifetime (60 to 90 minutes by default; token lifetime policies allow 10
            // minutes to 1 day) and client credentials cannot ask for one, so the bounds are Entra's documented range
            // for policies: the profile's lifetime only caps what the job is told.
            Duration.ofSeconds(1),
            parameters -> Duration.ofDays(1),
            // The audience Microsoft's guide and azure/login use for federated identity credentials.
            parameters -> Optional.of("api://AzureADTokenExchange"),
            true, null, Set.of("tenant-id"), "federated-token-file")
            .exporting(Set.of("AZURE_ACCESS_TOKEN", "AZURE_AUTHORITY_HOST", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_TENANT_ID"));

    private AzureDescriptor() {
    }
}
