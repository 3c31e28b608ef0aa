package io.github.ephemeralcredentials.core.oidc;

/** Issuer URLs of the CI systems we support out of the box. Any other issuer URL works as well. */
public final class KnownIssuers {

    /** GitHub Actions on github.com. */
    public static final String GITHUB_ACTIONS = "https://token.actions.githubusercontent.com";

    /** The path under the Jenkins root URL where our plugin serves its issuer documents. */
    public static final String JENKINS_PATH = "ephemeral-credentials-oidc";

    private KnownIssuers() {
    }

    /** GitHub Enterprise Server: {@code https://HOST/_services/token}. */
    public static String githubEnterpriseServer(String host) {
        if (host == null || host.isBlank() || host.contains("/")) {
            throw new IllegalArgumentException("GitHub Enterprise Server host must be a bare host name such as "
                    + "'github.example.com', got '" + host + "'");
        }
        return "https://" + host + "/_services/token";
    }

    /** Our Jenkins plugin's issuer for a controller at {@code jenkinsRootUrl} (as in Manage Jenkins › System). */
    public static String jenkins(String jenkinsRootUrl) {
        String root = jenkinsRootUrl.endsWith("/") ? jenkinsRootUrl : jenkinsRootUrl + "/";
        return root + JENKINS_PATH;
    }
}
