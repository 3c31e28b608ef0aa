package io.github.ephemeralcredentials.core.provider.gcp;

import java.nio.file.Path;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * What the host decides about the {@code external_account} credentials file: where it goes when the profile names
 * no {@code credentials-dir}, the path the job's later steps know it by, who may read it, and where client libraries
 * get a CI token when they need one.
 *
 * @param directory         where this process writes the file when the profile names no directory
 * @param jobDirectory      {@code directory} as the job's later steps name it. A container action sees the runner's
 *                          workspace at {@code /github/workspace}, and the runner passes {@code $GITHUB_ENV} values
 *                          to later steps as written, so the exported path must be the runner's own
 * @param namePrefix        the credentials file's name before its random part and {@code .json}
 * @param forDirectoryOwner give the files to {@code directory}'s owner, readable by its group (0640): a container
 *                          action runs as root while the runner's later steps run as the user who owns the workspace.
 *                          Otherwise the files stay this process's own, mode 0600
 * @param tokenEndpoint     the CI's own token endpoint, or {@code null}. With one, the file's
 *                          {@code credential_source} is that URL and client libraries fetch a fresh CI token whenever
 *                          they need one; without, it names a file holding the token this exchange used, which
 *                          nothing refreshes once it expires
 */
public record CredentialsFileHost(Path directory, Path jobDirectory, String namePrefix, boolean forDirectoryOwner,
                                  CiTokenEndpoint tokenEndpoint) {

    /** The name GitHub Actions users already ignore for google-github-actions/auth: {@code gha-creds-*.json}. */
    public static final String GITHUB_ACTIONS_PREFIX = "gha-creds-";

    public CredentialsFileHost {
        directory = directory.toAbsolutePath().normalize();
        jobDirectory = Objects.requireNonNull(jobDirectory, "jobDirectory").normalize();
        if (!jobDirectory.isAbsolute()) {
            throw new IllegalArgumentException("jobDirectory must be absolute: the job's steps run in other directories");
        }
        if (namePrefix.isEmpty() || namePrefix.contains("/") || namePrefix.contains("\\")) {
            throw new IllegalArgumentException("namePrefix must be a plain file name start");
        }
    }

    /** Files only this process can read (0600) in {@code directory}, exported as written; a token file as source. */
    public static CredentialsFileHost privateIn(Path directory) {
        return new CredentialsFileHost(directory, directory.toAbsolutePath(), "gcp-external-account-", false, null);
    }

    /** The same files, with a {@code credential_source} URL when {@code endpoint} is not null. */
    public CredentialsFileHost withTokenEndpoint(CiTokenEndpoint endpoint) {
        return new CredentialsFileHost(directory, jobDirectory, namePrefix, forDirectoryOwner, endpoint);
    }

    /**
     * The path the job's steps know {@code written} by: under {@link #directory} it moves to {@link #jobDirectory};
     * elsewhere (a profile's own {@code credentials-dir}) it stays as written.
     */
    String jobPath(Path written) {
        Path absolute = written.toAbsolutePath().normalize();
        return absolute.startsWith(directory) ? jobDirectory.resolve(directory.relativize(absolute)).toString()
                : absolute.toString();
    }

    /**
     * A CI system's endpoint that hands out the job's OIDC token on request — GitHub Actions'
     * {@code ACTIONS_ID_TOKEN_REQUEST_URL}, answered with {@code {"value": "<jwt>"}} for a bearer request.
     *
     * @param url    the endpoint; the token's audience is added as the {@code audience} query parameter
     * @param bearer the bearer token the endpoint requires (a secret: it can mint the job's tokens until the job
     *               ends)
     */
    public record CiTokenEndpoint(HttpUrl url, String bearer) {

        public CiTokenEndpoint {
            Objects.requireNonNull(url, "url");
            if (bearer == null || bearer.isBlank()) {
                throw new IllegalArgumentException("bearer must not be blank");
            }
        }

        /** The endpoint's URL for tokens with {@code audience}, as {@code @actions/core} builds it. */
        HttpUrl forAudience(String audience) {
            return url.newBuilder().setQueryParameter("audience", audience).build();
        }

        @Override
        public String toString() {
            return "CiTokenEndpoint[" + url.host() + "]";
        }
    }
}
