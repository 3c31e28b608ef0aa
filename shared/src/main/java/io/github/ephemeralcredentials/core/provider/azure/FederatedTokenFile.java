package io.github.ephemeralcredentials.core.provider.azure;

import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file {@code AZURE_FEDERATED_TOKEN_FILE} points at, for SDKs that exchange the CI token themselves
 * ({@code WorkloadIdentityCredential}). Written through the host's {@link CredentialsFileHost#create} (mode 0600,
 * where the host puts files unless the profile names a directory) and deleted at cleanup through the credential's
 * file list.
 */
final class FederatedTokenFile {

    private final CredentialsFileHost host;
    private final Path directory;

    /** @param directory where to write, or {@code null} for the host's directory */
    FederatedTokenFile(CredentialsFileHost host, Path directory) {
        this.host = host;
        this.directory = directory;
    }

    Path write(String ciToken) {
        Path dir = directory == null ? host.directory() : directory;
        List<Path> written = new ArrayList<>();
        try {
            return host.create(dir, "azure-federated-token-", ".jwt", ciToken, written);
        } catch (IOException | UnsupportedOperationException e) {
            for (Path p : written) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the original failure is what the user must see
                }
            }
            throw new ProviderException(AzureProvider.ID, Reason.INVALID_PARAMETERS, null, "azure: could not write "
                    + "the federated token file in " + dir + " (" + e.getMessage() + "); set 'federated-token-dir' "
                    + "to a writable directory outside the workspace", e);
        }
    }
}
