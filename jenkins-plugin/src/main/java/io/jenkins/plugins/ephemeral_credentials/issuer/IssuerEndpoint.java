package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.Extension;
import hudson.model.InvisibleAction;
import hudson.model.UnprotectedRootAction;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.github.ephemeralcredentials.core.oidc.KnownIssuers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * Serves the issuer's discovery document and JWKS to anyone, at
 * {@code <Jenkins URL>/ephemeral-credentials-oidc/.well-known/openid-configuration} and {@code .../jwks}: relying
 * parties (AWS, GCP, Vault, ...) fetch them without credentials. Nothing else is served here.
 */
@Extension
public final class IssuerEndpoint extends InvisibleAction implements UnprotectedRootAction {

    static final String DISCOVERY = "/.well-known/openid-configuration";
    static final String JWKS = "/jwks";

    @Override
    public String getUrlName() {
        return KnownIssuers.JENKINS_PATH;
    }

    @SuppressWarnings("try") // the ACL context is used for its scope only
    public void doDynamic(StaplerRequest2 req, StaplerResponse2 rsp) throws IOException {
        String path = req.getRestOfPath();
        String body;
        // Anonymous callers: read configuration and keys as the system, never as the caller.
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            if (DISCOVERY.equals(path)) {
                body = Issuer.get().tokenIssuer().discoveryDocument();
            } else if (JWKS.equals(path)) {
                body = Issuer.get().tokenIssuer().jwks();
            } else {
                rsp.sendError(404);
                return;
            }
        }
        rsp.setContentType("application/json;charset=UTF-8");
        // Short enough that a rotated key appears well within the overlap period.
        rsp.setHeader("Cache-Control", "public, max-age=300");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        rsp.setContentLength(bytes.length);
        rsp.getOutputStream().write(bytes);
    }
}
