package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.Extension;
import hudson.model.InvisibleAction;
import hudson.model.UnprotectedRootAction;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.github.ephemeralcredentials.core.oidc.KnownIssuers;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * Serves the issuer's discovery document and JWKS to anyone, at
 * {@code <Jenkins URL>/ephemeral-credentials-oidc/.well-known/openid-configuration} and {@code .../jwks}: relying
 * parties (AWS, GCP, Vault, ...) fetch them without credentials. Nothing else is served here, and nothing at all
 * (503, not cacheable) while no Jenkins URL is configured: the documents are never built from a request's headers.
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
        if (!DISCOVERY.equals(path) && !JWKS.equals(path)) {
            rsp.sendError(404);
            return;
        }
        String body;
        // Anonymous callers: read configuration and keys as the system, never as the caller.
        try (ACLContext ignored = ACL.as2(ACL.SYSTEM2)) {
            TokenIssuer issuer = Issuer.get().tokenIssuer();
            body = DISCOVERY.equals(path) ? issuer.discoveryDocument() : issuer.jwks();
        } catch (IssuerNotConfiguredException e) {
            // Nothing built from the request instead, and nothing for a cache to keep.
            write(rsp, 503, "text/plain;charset=UTF-8", "no-store", e.getMessage() + "\n");
            return;
        }
        // Short enough that a rotated key appears well within the overlap period.
        write(rsp, 200, "application/json;charset=UTF-8", "public, max-age=300", body);
    }

    private static void write(StaplerResponse2 rsp, int status, String contentType, String cacheControl, String body)
            throws IOException {
        rsp.setStatus(status);
        rsp.setContentType(contentType);
        rsp.setHeader("Cache-Control", cacheControl);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        rsp.setContentLength(bytes.length);
        rsp.getOutputStream().write(bytes);
    }
}
