package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Run;
import io.github.ephemeralcredentials.core.oidc.BuildToken;
import io.github.ephemeralcredentials.core.oidc.BuildTokens;
import io.github.ephemeralcredentials.core.oidc.KnownIssuers;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import jenkins.model.JenkinsLocationConfiguration;

/**
 * Jenkins as an OIDC issuer: its URL (the configured Jenkins URL plus {@value KnownIssuers#JENKINS_PATH}, or the
 * administrator's override for a controller relying parties cannot reach) and the tokens it signs for builds.
 *
 * <p>The URL comes from configuration only ({@link JenkinsLocationConfiguration}), never from
 * {@code Jenkins.getRootUrl()}, which falls back to the current request's {@code Host} and {@code X-Forwarded-*}
 * headers when no Jenkins URL is set: a discovery document built from those would name whatever issuer and JWKS the
 * caller chose, served with {@code Cache-Control: public} for shared caches to keep.
 */
@Extension
public final class Issuer {

    public static Issuer get() {
        return ExtensionList.lookupSingleton(Issuer.class);
    }

    /** The Jenkins URL of Manage Jenkins › System as configured, ending with '/', or empty when none is set. */
    static Optional<String> configuredJenkinsUrl() {
        String url = JenkinsLocationConfiguration.get().getUrl();
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        String trimmed = url.strip();
        return Optional.of(trimmed.endsWith("/") ? trimmed : trimmed + "/");
    }

    /**
     * The issuer URL exactly as it appears in {@code iss}.
     *
     * @throws IssuerNotConfiguredException when neither a Jenkins URL nor an issuer URL is configured, or the one that
     *                                      would be used is not a usable issuer URL
     */
    public String url() {
        Optional<String> url;
        try {
            url = KnownIssuers.jenkinsIssuer(configuredJenkinsUrl().orElse(null),
                    EphemeralCredentialsConfiguration.get().getIssuerUrl());
        } catch (IllegalArgumentException e) {
            throw new IssuerNotConfiguredException(Messages.Issuer_InvalidUrl(e.getMessage()));
        }
        return url.orElseThrow(() -> new IssuerNotConfiguredException(Messages.Issuer_NotConfigured()));
    }

    /** @throws IssuerNotConfiguredException as {@link #url()} */
    public TokenIssuer tokenIssuer() {
        IssuerKeys keys = IssuerKeys.get();
        return new TokenIssuer(url(), keys::ring, Clock.systemUTC());
    }

    /**
     * Signs a token for {@code run} with its facts as claims and one audience.
     *
     * @throws IssuerNotConfiguredException as {@link #url()}, and when no Jenkins URL is configured (the token names
     *                                      the controller and the build by their URLs)
     */
    public BuildToken mint(Run<?, ?> run, String audience, Duration lifetime) {
        return new BuildTokens(tokenIssuer()).mint(BuildIdentity.of(run), audience, lifetime);
    }
}
