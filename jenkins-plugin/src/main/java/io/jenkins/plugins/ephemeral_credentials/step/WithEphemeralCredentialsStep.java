package io.jenkins.plugins.ephemeral_credentials.step;

import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code withEphemeralCredentials(profile: 'deploy-prod') { ... }}: the build's own OIDC token, under the
 * administrator's trust policy, traded for the profile's short-lived credentials, which exist for the block only. The
 * token's audience is the profile provider's default unless {@code audience:} says otherwise. With
 * {@code tokenFile: true} the provider's own token-file mode hands over the token in a file (kept fresh), for SDKs
 * that assume the role and refresh by themselves.
 */
public final class WithEphemeralCredentialsStep extends Step {

    private final String profile;
    private String audience;
    private boolean tokenFile;

    @DataBoundConstructor
    public WithEphemeralCredentialsStep(String profile) {
        this.profile = Util.fixEmptyAndTrim(profile);
    }

    public String getProfile() {
        return profile;
    }

    public String getAudience() {
        return audience;
    }

    /** The {@code aud} of the build's token: what the provider expects (e.g. {@code sts.amazonaws.com}). */
    @DataBoundSetter
    public void setAudience(String audience) {
        this.audience = Util.fixEmptyAndTrim(audience);
    }

    public boolean isTokenFile() {
        return tokenFile;
    }

    @DataBoundSetter
    public void setTokenFile(boolean tokenFile) {
        this.tokenFile = tokenFile;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new WithEphemeralCredentialsExecution(context, profile, audience, tokenFile);
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {

        @Override
        public String getFunctionName() {
            return "withEphemeralCredentials";
        }

        @Override
        public String getDisplayName() {
            return Messages.WithEphemeralCredentialsStep_DisplayName();
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            // A workspace is needed only for token files and credential files; the execution asks for it then.
            return Set.of(Run.class, TaskListener.class);
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }
    }
}
