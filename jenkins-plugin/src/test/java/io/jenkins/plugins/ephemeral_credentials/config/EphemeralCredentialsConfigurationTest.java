package io.jenkins.plugins.ephemeral_credentials.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.ExtensionList;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import java.util.List;
import jenkins.model.JenkinsLocationConfiguration;
import net.sf.json.JSONObject;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.kohsuke.stapler.StaplerRequest2;

@WithJenkins
class EphemeralCredentialsConfigurationTest {

    /** configure() refuses these forms before it reads anything from the request. */
    private static final StaplerRequest2 NO_REQUEST = null;

    private JenkinsRule r;

    @BeforeEach
    void setUp(JenkinsRule r) {
        this.r = r;
    }

    private static JSONObject form() {
        JSONObject json = new JSONObject();
        json.put("policy", "");
        json.put("issuerUrl", "");
        json.put("tokenLifetimeMinutes", "10");
        json.put("rotationDays", "30");
        json.put("keyOverlapHours", "48");
        return json;
    }

    @Test
    void eachRangeErrorIsReportedAgainstItsOwnField() {
        EphemeralCredentialsConfiguration config = EphemeralCredentialsConfiguration.get();
        String[][] cases = {
                {"tokenLifetimeMinutes", "61", "between 1 and 60, got 61"},
                {"tokenLifetimeMinutes", "0", "between 1 and 60, got 0"},
                {"rotationDays", "366", "between 1 and 365, got 366"},
                {"keyOverlapHours", "1", "between 2 and 720, got 1"},
                {"keyOverlapHours", "", "must be a whole number between 2 and 720, got ''"},
                {"rotationDays", "7\u20280", "must be a whole number"},
        };
        for (String[] c : cases) {
            JSONObject json = form();
            json.put(c[0], c[1]);

            assertThatThrownBy(() -> config.configure(NO_REQUEST, json)).as(c[0] + "=" + c[1])
                    .isInstanceOfSatisfying(Descriptor.FormException.class,
                            e -> assertThat(e.getFormField()).isEqualTo(c[0]))
                    .hasMessageContaining(c[0]).hasMessageContaining(c[2]);
        }
        assertThat(config.getTokenLifetimeMinutes()).isEqualTo(EphemeralCredentialsConfiguration.DEFAULT_TOKEN_LIFETIME_MINUTES);
        assertThat(config.getRotationDays()).isEqualTo(EphemeralCredentialsConfiguration.DEFAULT_ROTATION_DAYS);
        assertThat(config.getKeyOverlapHours()).isEqualTo(EphemeralCredentialsConfiguration.DEFAULT_KEY_OVERLAP_HOURS);
    }

    @Test
    void aBadPolicyAndABadIssuerUrlAreReportedAgainstTheirFields() {
        EphemeralCredentialsConfiguration config = EphemeralCredentialsConfiguration.get();
        JSONObject badPolicy = form();
        badPolicy.put("policy", "version: 1\nprofiles: [");
        JSONObject badUrl = form();
        badUrl.put("issuerUrl", "http://ci.example.com/x");

        assertThatThrownBy(() -> config.configure(NO_REQUEST, badPolicy)).isInstanceOfSatisfying(
                Descriptor.FormException.class, e -> assertThat(e.getFormField()).isEqualTo("policy"))
                .hasMessageContaining("trust policy:");
        assertThatThrownBy(() -> config.configure(NO_REQUEST, badUrl)).isInstanceOfSatisfying(
                Descriptor.FormException.class, e -> assertThat(e.getFormField()).isEqualTo("issuerUrl"))
                .hasMessageContaining("must use https");
    }

    @Test
    void theIssuerUrlCheckWarnsWhileNoJenkinsUrlIsConfigured() {
        EphemeralCredentialsConfiguration config = EphemeralCredentialsConfiguration.get();
        assertThat(config.doCheckIssuerUrl("").kind).isEqualTo(FormValidation.Kind.OK);

        JenkinsLocationConfiguration.get().setUrl(null);

        FormValidation check = config.doCheckIssuerUrl("");
        assertThat(check.kind).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(check.getMessage()).contains("No Jenkins URL is configured");
        assertThat(config.doCheckIssuerUrl("https://keys.example.com/jenkins").kind).isEqualTo(FormValidation.Kind.OK);
    }

    @Test
    void theSettersRefuseOutOfRangeValuesNamingTheSetting() {
        EphemeralCredentialsConfiguration config = EphemeralCredentialsConfiguration.get();

        assertThatThrownBy(() -> config.setKeyOverlapHours(721)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keyOverlapHours must be between 2 and 720, got 721");
    }

    @Test
    void theCredentialsListOffersSecretTextsAndFilesAndKeepsTheCurrentValue() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "client-secret", "OAuth client secret", Secret.fromString("canary-1f2e3d")));
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "user-and-password", "", "user", "canary-password-9a8b"));
        SystemCredentialsProvider.getInstance().save();
        ProfileSecret.DescriptorImpl descriptor = ExtensionList.lookupSingleton(ProfileSecret.DescriptorImpl.class);

        ListBoxModel items = descriptor.doFillCredentialsIdItems("removed-meanwhile");

        assertThat(items).extracting(o -> o.value)
                .containsExactlyInAnyOrder("", "removed-meanwhile", "client-secret");
        assertThat(items.toString()).doesNotContain("canary");
    }

    @Test
    void everyFieldOfAProfileSecretHasHelp() {
        ProfileSecret.DescriptorImpl descriptor = ExtensionList.lookupSingleton(ProfileSecret.DescriptorImpl.class);

        for (String field : List.of("profile", "variable", "credentialsId")) {
            assertThat(descriptor.getHelpFile(field)).as(field).isNotNull();
        }
        assertThat(descriptor.getDisplayName()).isEqualTo(Messages.ProfileSecret_DisplayName())
                .isEqualTo("Secret for a profile");
    }

    @Test
    void aProfileSecretWithAnEmptyFieldSaysWhatToFillIn() {
        assertThatThrownBy(() -> new ProfileSecret("deploy", " ", "client-secret"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client-secret-env");
    }
}
