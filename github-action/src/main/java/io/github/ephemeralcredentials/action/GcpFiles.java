package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.provider.aws.AwsProvider;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost.CiTokenEndpoint;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Where GCP's {@code external_account} file goes on a GitHub Actions runner, and what it reads the CI token from.
 *
 * <p>The action's container sees the runner's workspace at {@code /github/workspace} and its temporary directory at
 * {@code /github/runner_temp}, runs as root, and the runner hands {@code $GITHUB_ENV} values to later steps as they
 * are written (actions/runner {@code FileCommandManager}: no path translation), while those steps run on the host
 * as the runner's user. So the file goes into the workspace (the one directory every later step sees, host,
 * job container or container action alike), under the {@code gha-creds-*.json} name google-github-actions/auth
 * uses, owned by the workspace's owner; and the exported path is the workspace as the runner names it, which
 * action.yml passes as an argument: argument values are the one thing the runner does not translate into container
 * paths ({@code ContainerActionHandler} rewrites every environment value, inputs included, that starts with a
 * mounted host directory).
 */
public final class GcpFiles {

    /** The input action.yml passes as the container's argument; its default is {@code ${{ github.workspace }}}. */
    public static final String WORKSPACE_INPUT = "workspace-on-runner";

    private GcpFiles() {
    }

    /**
     * @param workspaceOnRunner the workspace as the runner names it ({@code github.workspace}), or null when the
     *                          container was started without it: the exported path is then the container's, right
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
        return new CredentialsFileHost(inContainer, onRunner.toAbsolutePath(), CredentialsFileHost.GITHUB_ACTIONS_PREFIX,
                true, tokenEndpoint(env), null);
    }

    /**
     * The CLI's {@code exchange}: files private to the user running it, in {@code $RUNNER_TEMP} (or the system's
     * temporary directory), with the runner's token endpoint as the source when it runs in a GitHub Actions step.
     */
    public static CredentialsFileHost forCommandLine(Map<String, String> env) {
        return CredentialsFileHost.privateIn(AwsProvider.defaultFileDirectory()).withTokenEndpoint(tokenEndpoint(env));
    }

    /** The runner's OIDC endpoint, or null outside a job with {@code permissions: id-token: write}. */
    static CiTokenEndpoint tokenEndpoint(Map<String, String> env) {
        String url = env.get(IdTokenClient.URL_VARIABLE);
        String bearer = env.get(IdTokenClient.TOKEN_VARIABLE);
        HttpUrl parsed = url == null ? null : HttpUrl.parse(url.strip());
        return parsed == null || bearer == null || bearer.isBlank() ? null : new CiTokenEndpoint(parsed, bearer.strip());
    }
}
