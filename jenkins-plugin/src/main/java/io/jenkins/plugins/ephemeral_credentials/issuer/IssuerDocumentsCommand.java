package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.Extension;
import hudson.cli.CLICommand;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import jenkins.model.Jenkins;
import org.kohsuke.args4j.Argument;

/**
 * {@code ephemeral-credentials-issuer-documents [discovery|jwks]}: prints the documents to publish at the issuer URL
 * when relying parties cannot reach this controller, e.g. from a scheduled job that uploads them to a bucket.
 */
@Extension
public final class IssuerDocumentsCommand extends CLICommand {

    @Argument(metaVar = "DOCUMENT", usage = "'discovery' (served at <issuer>/.well-known/openid-configuration) or "
            + "'jwks' (served at <issuer>/jwks)", required = true)
    public String document;

    @Override
    public String getName() {
        return "ephemeral-credentials-issuer-documents";
    }

    @Override
    public String getShortDescription() {
        return Messages.IssuerDocumentsCommand_ShortDescription();
    }

    @Override
    protected int run() {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (!document.equals("discovery") && !document.equals("jwks")) {
            stderr.println("Unknown document '" + document + "': use 'discovery' or 'jwks'");
            return 2;
        }
        try {
            TokenIssuer issuer = Issuer.get().tokenIssuer();
            stdout.println(document.equals("discovery") ? issuer.discoveryDocument() : issuer.jwks());
            return 0;
        } catch (IssuerNotConfiguredException e) {
            stderr.println(e.getMessage());
            return 3;
        }
    }
}
