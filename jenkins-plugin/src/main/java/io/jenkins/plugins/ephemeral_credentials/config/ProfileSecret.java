package io.jenkins.plugins.ephemeral_credentials.config;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import hudson.Extension;
import hudson.Util;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A secret a profile's provider needs (an OAuth client secret, a GitHub App's private key), kept in the Credentials
 * Plugin. Providers read such secrets by a name the profile gives (e.g. {@code client-secret-env: CLIENT_SECRET});
 * on Jenkins that name is {@link #getVariable()} here, never a variable of the controller's own environment. The
 * administrator binds it here, in the global configuration: builds never see the stored secret, only the ephemeral
 * credential the provider issues with it, and only when the trust policy allows the build that profile.
 */
public final class ProfileSecret implements Describable<ProfileSecret> {

    private final String profile;
    private final String variable;
    private final String credentialsId;

    @DataBoundConstructor
    public ProfileSecret(String profile, String variable, String credentialsId) {
        this.profile = required(profile, Messages.ProfileSecret_ProfileRequired());
        this.variable = required(variable, Messages.ProfileSecret_VariableRequired());
        this.credentialsId = required(credentialsId, Messages.ProfileSecret_CredentialsRequired());
    }

    /** @throws IllegalArgumentException saying what to fill in, for the form and for Configuration as Code alike */
    private static String required(String value, String whatToDo) {
        String trimmed = Util.fixEmptyAndTrim(value);
        if (trimmed == null) {
            throw new IllegalArgumentException(whatToDo);
        }
        return trimmed;
    }

    public String getProfile() {
        return profile;
    }

    public String getVariable() {
        return variable;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /**
     * The secret's value, looked up as the system in Jenkins' global credentials (the administrator bound it; the
     * build's own permissions do not matter): a secret text's text, or a secret file's content as UTF-8.
     *
     * @throws IllegalStateException naming the credentials id when it is missing or of another kind
     */
    public String resolve() throws IOException {
        List<StandardCredentials> all = CredentialsProvider.lookupCredentialsInItemGroup(
                StandardCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of());
        StandardCredentials found = CredentialsMatchers.firstOrNull(all, CredentialsMatchers.withId(credentialsId));
        if (found instanceof StringCredentials text) {
            return text.getSecret().getPlainText();
        }
        if (found instanceof FileCredentials file) {
            try (InputStream in = file.getContent()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalStateException(found == null
                ? "credentials '" + credentialsId + "' for variable '" + variable + "' of profile '" + profile
                        + "' do not exist in the global credentials; add them or fix the id in Manage Jenkins > Security > Ephemeral Credentials"
                : "credentials '" + credentialsId + "' are neither secret text nor a secret file; profile '" + profile
                        + "' needs one of those for variable '" + variable + "'");
    }

    @Extension
    @Symbol("profileSecret")
    public static final class DescriptorImpl extends Descriptor<ProfileSecret> {

        @Override
        public String getDisplayName() {
            return Messages.ProfileSecret_DisplayName();
        }

        /**
         * Secret texts and secret files of the global credentials, as the system sees them (what {@link #resolve}
         * reads), and always the current value, so saving the form never silently drops a binding whose credentials
         * were removed or renamed meanwhile.
         */
        @POST
        public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
            StandardListBoxModel items = new StandardListBoxModel();
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                items.includeCurrentValue(Util.fixNull(credentialsId));
                return items;
            }
            items.includeEmptyValue()
                    .includeMatchingAs(ACL.SYSTEM2, Jenkins.get(), StandardCredentials.class, List.of(),
                            CredentialsMatchers.anyOf(CredentialsMatchers.instanceOf(StringCredentials.class),
                                    CredentialsMatchers.instanceOf(FileCredentials.class)))
                    .includeCurrentValue(Util.fixNull(credentialsId));
            return items;
        }

        @POST
        public FormValidation doCheckProfile(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return Util.fixEmptyAndTrim(value) == null
                    ? FormValidation.error(Messages.ProfileSecret_ProfileRequired()) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckVariable(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return Util.fixEmptyAndTrim(value) == null
                    ? FormValidation.error(Messages.ProfileSecret_VariableRequired()) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckCredentialsId(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return Util.fixEmptyAndTrim(value) == null
                    ? FormValidation.error(Messages.ProfileSecret_CredentialsRequired()) : FormValidation.ok();
        }
    }
}
