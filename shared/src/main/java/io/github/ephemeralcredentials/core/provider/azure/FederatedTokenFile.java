package io.github.ephemeralcredentials.core.provider.azure;

import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The file {@code AZURE_FEDERATED_TOKEN_FILE} points at, for SDKs that exchange the CI token themselves
 * ({@code WorkloadIdentityCredential}). Owner-only, outside the workspace by default (the system temporary
 * directory), and deleted at cleanup through the credential's file list.
 */
final class FederatedTokenFile {

    private final String directory;

    /** @param directory where to write, or {@code null} for the system temporary directory */
    FederatedTokenFile(String directory) {
        this.directory = directory;
    }

    Path write(String ciToken) {
        Path dir = Path.of(directory == null ? System.getProperty("java.io.tmpdir") : directory);
        try {
            Path file = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                    ? Files.createTempFile(dir, "azure-federated-token-", ".jwt",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, "azure-federated-token-", ".jwt");
            Files.writeString(file, ciToken, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new ProviderException(AzureProvider.ID, Reason.INVALID_PARAMETERS, null, "azure: could not write "
                    + "the federated token file in " + dir + " (" + e.getMessage() + "); set 'federated-token-dir' "
                    + "to a writable directory outside the workspace", e);
        }
    }
}
