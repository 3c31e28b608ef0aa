package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.Extension;
import hudson.model.ManagementLink;
import hudson.security.Permission;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins › Ephemeral Credentials issuer: the issuer URL, the two documents to publish where relying parties
 * can fetch them when this controller is private, and an immediate rotation.
 */
@Extension
public final class IssuerPage extends ManagementLink {

    @Override
    public String getIconFileName() {
        return "symbol-key";
    }

    @Override
    public String getDisplayName() {
        return "Ephemeral Credentials issuer";
    }

    @Override
    public String getDescription() {
        return "The OIDC issuer URL, discovery document and JWKS of the tokens this Jenkins signs for its builds.";
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

    public String getIssuerUrl() {
        return Issuer.get().url();
    }

    public String getDiscoveryDocument() {
        return Issuer.get().tokenIssuer().discoveryDocument();
    }

    public String getJwks() {
        return Issuer.get().tokenIssuer().jwks();
    }

    public boolean isOverridden() {
        return EphemeralCredentialsConfiguration.get().getIssuerUrl() != null;
    }

    /** Rotates now, e.g. after a suspected key leak; the previous key stays published for the overlap period. */
    @POST
    public HttpResponse doRotate() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        IssuerKeys.get().rotate(EphemeralCredentialsConfiguration.get().keyOverlap());
        return HttpResponses.redirectToDot();
    }
}
