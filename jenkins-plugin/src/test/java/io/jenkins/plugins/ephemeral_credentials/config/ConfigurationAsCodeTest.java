package io.jenkins.plugins.ephemeral_credentials.config;

import static io.jenkins.plugins.casc.misc.Util.getSecurityRoot;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.model.CNode;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.ephemeral_credentials.issuer.IssuerKeys;
import org.junit.jupiter.api.Test;

@WithJenkinsConfiguredWithCode
class ConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("configuration-as-code.yaml")
    void readsEverySetting(JenkinsConfiguredWithCodeRule r) {
        EphemeralCredentialsConfiguration config = EphemeralCredentialsConfiguration.get();

        assertThat(config.getIssuerUrl()).isEqualTo("https://keys.example.com/jenkins");
        assertThat(config.getTokenLifetimeMinutes()).isEqualTo(5);
        assertThat(config.getRotationDays()).isEqualTo(14);
        assertThat(config.getKeyOverlapHours()).isEqualTo(72);
        assertThat(config.getProfileSecrets()).singleElement().satisfies(s -> {
            assertThat(s.getProfile()).isEqualTo("deploy");
            assertThat(s.getVariable()).isEqualTo("CLIENT_SECRET");
            assertThat(s.getCredentialsId()).isEqualTo("deploy-client-secret");
        });
        assertThat(config.trustPolicy()).hasValueSatisfying(p -> assertThat(p.profiles()).containsKey("deploy"));
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yaml")
    void exportsWhatItRead(JenkinsConfiguredWithCodeRule r) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode node = getSecurityRoot(context).get("ephemeralCredentials");

        String exported = toYamlString(node);

        // JCasC writes a string with a newline in it as a literal block scalar (Scalar.Format.MULTILINESTRING), so
        // the policy reads back exactly as the administrator wrote it: no escaped quotes, no \n.
        assertThat(exported).contains("issuerUrl: \"https://keys.example.com/jenkins\"")
                .contains("tokenLifetimeMinutes: 5")
                .contains("credentialsId: \"deploy-client-secret\"")
                .contains("policy: |\n  version: 1\n  profiles:\n    deploy:\n      provider: token-exchange\n")
                .contains("\n        sub: \"job:apps/api:branch:main\"\n")
                .doesNotContain("\\\"").doesNotContain("\\n");
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yaml")
    void reapplyingTheConfigurationKeepsTheSigningKeys(JenkinsConfiguredWithCodeRule r) throws Exception {
        String before = IssuerKeys.get().ring().active().kid();

        io.jenkins.plugins.casc.ConfigurationAsCode.get().configure(
                getClass().getResource("configuration-as-code.yaml").toString());

        assertThat(IssuerKeys.get().ring().active().kid()).isEqualTo(before);
    }
}
