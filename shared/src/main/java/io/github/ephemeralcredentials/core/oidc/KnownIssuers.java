package io.github.ephemeralcredentials.core.oidc;

import java.util.Optional;

/** Issuer URLs of the CI systems we support out of the box. Any other issuer URL works as well. */
public final class KnownIssuers {

    /** GitHub Actions on github.com. */
    public static final String GITHUB_ACTIONS = "https://token.actions.githubusercontent.com";

    /** The path under the Jenkins root URL where our plugin serves its issuer documents. */
    public static final String JENKINS_PATH = "ephemeral-credentials-oidc";

    private KnownIssuers() {
    }

    /** Null, empty, or only spaces of any kind (no-break and ideographic spaces, line separators included). */
    private static boolean unset(String value) {
        return value == null || value.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c));
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

    /**
     * The Jenkins plugin's issuer URL from the controller's configuration alone: the administrator's override if there
     * is one, else the configured Jenkins URL plus {@value #JENKINS_PATH}. Never from a request: Jenkins' own
     * {@code getRootUrl()} falls back to the caller's {@code Host} and {@code X-Forwarded-*} headers when no URL is
     * configured, and a discovery document built from those would be the caller's to choose (and a shared cache's to
     * keep).
     *
     * @param configuredJenkinsUrl the Jenkins URL of Manage Jenkins › System as stored, or {@code null}/blank if unset
     * @param override             the issuer URL the administrator set, or {@code null}/blank for the default
     * @return empty when neither is configured: then the issuer must neither sign nor serve anything
     * @throws IllegalArgumentException when the URL that would be used is not a usable issuer (see {@link IssuerUrls})
     */
    public static Optional<String> jenkinsIssuer(String configuredJenkinsUrl, String override) {
        if (!unset(override)) {
            return Optional.of(IssuerUrls.validate(override));
        }
        if (unset(configuredJenkinsUrl)) {
            return Optional.empty();
        }
        return Optional.of(IssuerUrls.validate(jenkins(configuredJenkinsUrl.strip())));
    }
}
