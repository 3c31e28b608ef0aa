package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › Ephemeral Credentials issuer: the issuer URL, the two documents to publish where relying parties
 * can fetch them when this controller is private, and an immediate rotation. Or, while no Jenkins URL is configured,
 * what to set and where.
 */
@Extension
public final class IssuerPage extends ManagementLink implements StaplerProxy {

    @Override
    public String getIconFileName() {
        return "symbol-key";
    }

    @Override
    public String getDisplayName() {
        return Messages.IssuerPage_DisplayName();
    }

    @Override
    public String getDescription() {
        return Messages.IssuerPage_Description();
    }

    @Override
    public String getUrlName() {
        return "ephemeral-credentials-issuer";
    }

    @Override
    public Permission getRequiredPermission() {
        return Jenkins.ADMINISTER;
    }

    @Override
    public Category getCategory() {
        return Category.SECURITY;
    }

    /**
     * Every request for this page and what is under it (views, {@link #doRotate}) passes here first: the page does not
     * rely on its layout's permission attribute alone, as core's management pages do not.
     */
    @Override
    public Object getTarget() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return this;
    }

    /** The issuer URL, or {@code null} when none is configured (then {@link #getProblem()} says what to set). */
    public String getIssuerUrl() {
        TokenIssuer issuer = issuer();
        return issuer == null ? null : issuer.issuer();
    }

    /** What keeps this Jenkins from being an issuer, or {@code null}. */
    public String getProblem() {
        try {
            Issuer.get().url();
            return null;
        } catch (IssuerNotConfiguredException e) {
            return e.getMessage();
        }
    }

    public String getDiscoveryDocument() {
        TokenIssuer issuer = issuer();
        return issuer == null ? null : issuer.discoveryDocument();
    }

    public String getJwks() {
        TokenIssuer issuer = issuer();
        return issuer == null ? null : issuer.jwks();
    }

    public boolean isOverridden() {
        return EphemeralCredentialsConfiguration.get().getIssuerUrl() != null;
    }

    private TokenIssuer issuer() {
        try {
            return Issuer.get().tokenIssuer();
        } catch (IssuerNotConfiguredException e) {
            return null;
        }
    }

    /** Rotates now, e.g. after a suspected key leak; the previous key stays published for the overlap period. */
    @POST
    public HttpResponse doRotate() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        IssuerKeys.get().rotate(EphemeralCredentialsConfiguration.get().keyOverlap());
        return HttpResponses.redirectToDot();
    }
}
