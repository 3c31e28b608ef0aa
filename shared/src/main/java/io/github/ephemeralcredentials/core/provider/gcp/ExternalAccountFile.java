package io.github.ephemeralcredentials.core.provider.gcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code external_account} credentials file (Google's "workload identity federation" credential configuration)
 * and the CI token file its {@code credential_source} reads, so Google's client libraries and gcloud exchange the
 * token themselves. Both files are created owner-only (POSIX 0600 given at creation, so there is no moment when
 * another user can read the CI token), outside the workspace by default (the system temporary directory), and are
 * deleted at cleanup through the credential's file list. The token file holds the CI token as it was: a job that
 * outlives that token needs the host to rewrite the file with a fresh one.
 */
final class ExternalAccountFile {

    static final String SUBJECT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

    private final Path directory;

    ExternalAccountFile(Path directory) {
        this.directory = directory;
    }

    /** @return the files written, credentials file first; nothing is left behind when this throws */
    List<Path> write(String ciToken, WorkloadIdentityProvider wip, String tokenUrl, String impersonationUrl,
                     Long lifetimeSeconds) {
        List<Path> written = new ArrayList<>();
        try {
            Path tokenFile = create("gcp-subject-token-", ".jwt");
            written.add(tokenFile);
            Files.writeString(tokenFile, ciToken, StandardCharsets.US_ASCII);

            ObjectNode config = GoogleApi.JSON.createObjectNode();
            config.put("type", "external_account");
            config.put("audience", wip.audience());
            config.put("subject_token_type", SUBJECT_TOKEN_TYPE);
            config.put("token_url", tokenUrl);
            ObjectNode source = config.putObject("credential_source");
            source.put("file", tokenFile.toAbsolutePath().toString());
            source.putObject("format").put("type", "text");
            if (impersonationUrl != null) {
                config.put("service_account_impersonation_url", impersonationUrl);
                if (lifetimeSeconds != null) {
                    config.putObject("service_account_impersonation").put("token_lifetime_seconds", lifetimeSeconds);
                }
            }
            Path configFile = create("gcp-external-account-", ".json");
            written.add(0, configFile);
            Files.writeString(configFile, config.toPrettyString(), StandardCharsets.UTF_8);
            return List.copyOf(written);
        } catch (IOException | UnsupportedOperationException e) {
            for (Path p : written) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the original failure is what the user must see
                }
            }
            throw new ProviderException(GcpProvider.ID, Reason.INVALID_PARAMETERS, null, "gcp: could not write the "
                    + "credentials file in " + directory + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); set 'credentials-dir' to a writable directory outside the workspace (e.g. $RUNNER_TEMP)", e);
        }
    }

    private Path create(String prefix, String suffix) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
            return Files.createTempFile(directory, prefix, suffix, ownerOnly);
        }
        // Elsewhere (Windows) a new file in the user's temporary directory inherits an owner-only ACL.
        return Files.createTempFile(directory, prefix, suffix);
    }
}
