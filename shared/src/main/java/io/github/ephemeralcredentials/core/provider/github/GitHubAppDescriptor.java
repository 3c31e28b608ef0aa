package io.github.ephemeralcredentials.core.provider.github;

import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.LIST;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.MAP;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.STRING;

import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The GitHub App provider as data (see {@link GitHubAppProvider}). A class of its own so that reading it loads none
 * of the provider's code (hub4j among it). No action inputs: the App's key never belongs in a workflow.
 */
public final class GitHubAppDescriptor {

    public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("github-app",
            "GitHub App installation tokens, restricted to repositories and permissions",
            List.of(
                    ParameterSpec.required("app-id", STRING, "the App ID, or its client ID"),
                    ParameterSpec.required("private-key-env", STRING, "the name under which the host holds the "
                            + "App's PEM key (never the key itself)"),
                    ParameterSpec.required("owner", STRING, "the organization or user the App is installed on"),
                    ParameterSpec.optional("api-url", STRING, "the REST API; GitHub Enterprise Server: "
                            + "https://HOST/api/v3").withDefault("https://api.github.com")),
            List.of(
                    ParameterSpec.optional("repositories", LIST, "repository names under the owner"),
                    ParameterSpec.optional("permissions", MAP, "permissions by name, e.g. {contents: read}")),
            // Installation tokens last one hour whatever is asked; a longer profile lifetime would promise more
            // than GitHub issues. The cleanup revocation is what ends them sooner.
            Duration.ofSeconds(1),
            parameters -> Duration.ofHours(1),
            parameters -> Optional.empty(),
            // Issued on the job's word alone: nobody but this library verifies the CI token.
            false, null, Set.of(), null)
            .exporting(Set.of("GH_TOKEN", "GITHUB_TOKEN", "GITHUB_APP_PRIVATE_KEY"));

    private GitHubAppDescriptor() {
    }
}
