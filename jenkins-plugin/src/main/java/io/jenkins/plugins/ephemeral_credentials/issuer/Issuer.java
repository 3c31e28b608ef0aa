package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Run;
import io.github.ephemeralcredentials.core.oidc.BuildToken;
import io.github.ephemeralcredentials.core.oidc.BuildTokens;
import io.github.ephemeralcredentials.core.oidc.IssuerUrls;
import io.github.ephemeralcredentials.core.oidc.KnownIssuers;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import java.time.Clock;
import java.time.Duration;
import jenkins.model.Jenkins;

/**
 * Jenkins as an OIDC issuer: its URL (the Jenkins URL plus {@value KnownIssuers#JENKINS_PATH}, or the administrator's
 * override for a controller relying parties cannot reach) and the tokens it signs for builds.
 */
@Extension
public final class Issuer {

    public static Issuer get() {
        return ExtensionList.lookupSingleton(Issuer.class);
    }

    /** The issuer URL exactly as it appears in {@code iss}. */
    public String url() {
        String override = EphemeralCredentialsConfiguration.get().getIssuerUrl();
        if (override != null) {
            return IssuerUrls.validate(override);
        }
        String root = Jenkins.get().getRootUrl();
        if (root == null) {
            throw new IllegalStateException("Jenkins URL is not set: set it in Manage Jenkins > System, or set an "
                    + "issuer URL in Manage Jenkins > Ephemeral Credentials");
        }
        return IssuerUrls.validate(KnownIssuers.jenkins(root));
    }

    public TokenIssuer tokenIssuer() {
        IssuerKeys keys = IssuerKeys.get();
        return new TokenIssuer(url(), keys::ring, Clock.systemUTC());
    }

    /** Signs a token for {@code run} with its facts as claims and one audience. */
    public BuildToken mint(Run<?, ?> run, String audience, Duration lifetime) {
        return new BuildTokens(tokenIssuer()).mint(BuildIdentity.of(run), audience, lifetime);
    }
}
