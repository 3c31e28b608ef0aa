package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost.CiTokenEndpoint;
import io.github.ephemeralcredentials.core.provider.aws.AwsProvider;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Where the files a profile asks for go on a GitHub Actions runner (AWS's shared credentials file, GCP's
 * {@code external_account} file), and what GCP's reads the CI token from.
 *
 * <p>The action's container sees the runner's workspace at {@code /github/workspace} and its temporary directory at
 * {@code /github/runner_temp}, runs as root, and the runner hands {@code $GITHUB_ENV} values to later steps as they
 * are written (actions/runner {@code FileCommandManager}: no path translation), while those steps run on the host
 * as the runner's user. So the files go into the workspace (the one directory every later step sees, host,
 * job container or container action alike), under the {@code gha-creds-*} name google-github-actions/auth uses,
 * owned by the workspace's owner; and the exported path is the workspace as the runner names it, which action.yml
 * passes as an argument: argument values are the one thing the runner does not translate into container paths
 * ({@code ContainerActionHandler} rewrites every environment value, inputs included, that starts with a mounted
 * host directory).
 *
 * <p>A file holding the job's OIDC token itself (AWS {@code web-identity-token-file}, Azure
 * {@code federated-token-file}) is refused there: the SDKs re-read it whenever they exchange it, nothing in the job
 * rewrites it once this step has ended, and GitHub's tokens expire about five minutes after issue. It would work in a
 * quick test and fail in a long job; the keys and access tokens the step exports do not go stale.
 */
public final class CredentialFiles {

    /** The input action.yml passes as the container's argument; its default is {@code ${{ github.workspace }}}. */
    public static final String WORKSPACE_INPUT = "workspace-on-runner";

    /** google-github-actions/auth's name, which GitHub Actions users already ignore: {@code gha-creds-*}. */
    static final String NAME_PREFIX = "gha-creds-";

    /** Why the action refuses a file holding the OIDC token; the provider adds what to do instead. */
    static final String CI_TOKEN_FILE_REFUSAL = "in the GitHub Action nothing rewrites a file holding the job's OIDC "
            + "token after this step, and the token expires about 5 minutes after issue, so the SDKs that re-read "
            + "the file would fail later in the job";

    private CredentialFiles() {
    }

    /**
     * @param workspaceOnRunner the workspace as the runner names it ({@code github.workspace}), or null when the
     *                          container was started without it: the exported paths are then the container's, right
     *                          only for steps that mount the workspace at the same place
     */
    public static CredentialsFileHost forContainerStep(Map<String, String> env, String workspaceOnRunner) {
        String workspace = env.get("GITHUB_WORKSPACE");
        if (workspace == null || workspace.isBlank()) {
            return forCommandLine(env);
        }
        Path inContainer = Path.of(workspace);
        Path onRunner = workspaceOnRunner == null || workspaceOnRunner.isBlank()
                || !Path.of(workspaceOnRunner.strip()).isAbsolute() ? inContainer : Path.of(workspaceOnRunner.strip());
        return new CredentialsFileHost(inContainer, onRunner.toAbsolutePath(), NAME_PREFIX,
                true, tokenEndpoint(env), CI_TOKEN_FILE_REFUSAL);
    }

    /**
     * The CLI's {@code exchange}: files private to the user running it, in {@code $RUNNER_TEMP} (or the system's
     * temporary directory), CI token files allowed (its caller can rewrite them), with the runner's token endpoint as
     * GCP's source when it runs in a GitHub Actions step.
     */
    public static CredentialsFileHost forCommandLine(Map<String, String> env) {
        return CredentialsFileHost.privateIn(runnerTemp(env)).withTokenEndpoint(tokenEndpoint(env));
    }

    /** {@code $RUNNER_TEMP} (outside the workspace, wiped after the job), else the JVM's temporary directory. */
    static Path runnerTemp(Map<String, String> env) {
        String runnerTemp = env.get("RUNNER_TEMP");
        return runnerTemp != null && !runnerTemp.isBlank() ? Path.of(runnerTemp) : AwsProvider.defaultFileDirectory();
    }

    /** The runner's OIDC endpoint, or null outside a job with {@code permissions: id-token: write}. */
    static CiTokenEndpoint tokenEndpoint(Map<String, String> env) {
        String url = env.get(IdTokenClient.URL_VARIABLE);
        String bearer = env.get(IdTokenClient.TOKEN_VARIABLE);
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
        return parsed == null || bearer == null || bearer.isBlank() ? null : new CiTokenEndpoint(parsed, bearer.strip());
    }
}
