package io.github.ephemeralcredentials.core.provider.gcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost.CiTokenEndpoint;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code external_account} credentials file (Google's "workload identity federation" credential configuration),
 * so Google's client libraries and gcloud exchange the CI token themselves, as often as they need to.
 *
 * <p>Where the host knows the CI's token endpoint, {@code credential_source} is that URL with its bearer header,
 * exactly as google-github-actions/auth writes it: the libraries then fetch a fresh CI token each time, where a
 * token copied into a file would expire minutes after the step (GitHub's live about five). Otherwise
 * {@code credential_source} names a second file holding the CI token this exchange used, and a job that outlives
 * it needs the host to rewrite that file.
 *
 * <p>Files are created new through {@link CredentialsFileHost#create}: mode 0600 from the start, handed to the
 * directory's owner where the host says so (a container action runs as root). They are deleted at cleanup through
 * the credential's file list.
 */
final class ExternalAccountFile {

    static final String SUBJECT_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:jwt";

    private final CredentialsFileHost host;
    private final Path directory;

    /** The files written, credentials file first, and the path the job's steps know the credentials file by. */
    record Written(List<Path> files, String jobPath) {
    }

    ExternalAccountFile(CredentialsFileHost host, Path directory) {
        this.host = host;
        this.directory = directory;
    }

    /**
     * @param ciAudience the {@code aud} the CI token was issued for, so the endpoint issues the same kind again; null
     *                   when the token has not exactly one (then the token file is the source)
     * @return nothing is left behind when this throws
     */
    Written write(String ciToken, String ciAudience, WorkloadIdentityProvider wip, String tokenUrl,
                  String impersonationUrl, Long lifetimeSeconds) {
        List<Path> written = new ArrayList<>();
        try {
            ObjectNode config = GoogleApi.JSON.createObjectNode();
            config.put("type", "external_account");
            config.put("audience", wip.audience());
            config.put("subject_token_type", SUBJECT_TOKEN_TYPE);
            config.put("token_url", tokenUrl);
            ObjectNode source = config.putObject("credential_source");
            CiTokenEndpoint endpoint = host.tokenEndpoint();
            if (endpoint != null && ciAudience != null) {
                source.put("url", endpoint.forAudience(ciAudience).toString());
                source.putObject("headers").put("Authorization", "Bearer " + endpoint.bearer());
                source.putObject("format").put("type", "json").put("subject_token_field_name", "value");
            } else {
                Path tokenFile = host.create(directory, "gcp-subject-token-", ".jwt", ciToken, written);
                source.put("file", tokenFile.toAbsolutePath().toString());
                source.putObject("format").put("type", "text");
            }
            if (impersonationUrl != null) {
                config.put("service_account_impersonation_url", impersonationUrl);
                if (lifetimeSeconds != null) {
                    config.putObject("service_account_impersonation").put("token_lifetime_seconds", lifetimeSeconds);
                }
            }
            Path configFile = host.create(directory, "gcp-external-account-", ".json", config.toPrettyString(),
                    written);
            written.remove(configFile);
            written.add(0, configFile);
            return new Written(List.copyOf(written), host.jobPath(configFile));
        } catch (IOException | UnsupportedOperationException e) {
            for (Path p : written) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: the original failure is what the user must see
                }
            }
            String cause = e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new ProviderException(GcpProvider.ID, Reason.INVALID_PARAMETERS, null, host.forDirectoryOwner()
                    ? "gcp: could not write the credentials file in " + directory + " for the job's later steps ("
                    + cause + "); check that the workspace is writable and, where a container's root is remapped "
                    + "(user namespaces), set 'credentials-file' to false and use the exported access token"
                    : "gcp: could not write the credentials file in " + directory + " (" + cause + "); set "
                    + "'credentials-dir' to a writable directory outside the workspace (the CI system's temporary directory)", e);
        }
    }
}
