package io.jenkins.plugins.ephemeral_credentials.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import java.time.Duration;
import jenkins.model.Jenkins;
import org.htmlunit.Page;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

@WithJenkins
class IssuerEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JenkinsRule r;

    @BeforeEach
    void secure(JenkinsRule r) {
        this.r = r;
        r.jenkins.setSecurityRealm(r.createDummySecurityRealm());
        r.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(Jenkins.READ).everywhere().to("developer"));
    }

    @Test
    void discoveryAndJwksAreServedToAnonymousCallers() throws Exception {
        JenkinsRule.WebClient anonymous = r.createWebClient();

        JsonNode discovery = json(anonymous.goTo("ephemeral-credentials-oidc/.well-known/openid-configuration", "application/json"));
        JsonNode jwks = json(anonymous.goTo("ephemeral-credentials-oidc/jwks", "application/json"));

        String issuer = r.getURL() + "ephemeral-credentials-oidc";
        assertThat(discovery.get("issuer").asText()).isEqualTo(issuer);
        assertThat(discovery.get("jwks_uri").asText()).isEqualTo(issuer + "/jwks");
        assertThat(jwks.get("keys")).hasSize(1);
        assertThat(jwks.get("keys").get(0).get("kid").asText()).isEqualTo(IssuerKeys.get().ring().active().kid());
        assertThat(jwks.toString()).doesNotContain("\"d\"");
    }

    @Test
    void nothingElseIsServedThere() throws Exception {
        JenkinsRule.WebClient anonymous = r.createWebClient();
        anonymous.setThrowExceptionOnFailingStatusCode(false);

        assertThat(anonymous.goTo("ephemeral-credentials-oidc/keys", null).getWebResponse().getStatusCode()).isEqualTo(404);
    }

    @Test
    void configurationAndIssuerPagesNeedAnAdministrator() throws Exception {
        JenkinsRule.WebClient anonymous = r.createWebClient();
        anonymous.setThrowExceptionOnFailingStatusCode(false);
        JenkinsRule.WebClient developer = r.createWebClient().login("developer");
        developer.setThrowExceptionOnFailingStatusCode(false);

        for (JenkinsRule.WebClient client : new JenkinsRule.WebClient[] {anonymous, developer}) {
            assertThat(status(client, "manage/configureSecurity/")).isIn(403, 404);
            assertThat(status(client, "manage/ephemeral-credentials-issuer/")).isIn(403, 404);
        }
        assertThat(status(r.createWebClient().login("admin"), "manage/ephemeral-credentials-issuer/")).isEqualTo(200);
    }

    @Test
    void rotationKeepsThePreviousKeyPublishedAndSavingTheConfigurationDoesNot() throws Exception {
        String first = IssuerKeys.get().ring().active().kid();
        IssuerKeys.get().rotate(Duration.ofHours(2));
        String second = IssuerKeys.get().ring().active().kid();

        EphemeralCredentialsConfiguration.get().setTokenLifetimeMinutes(7);
        r.configRoundtrip();

        JsonNode jwks = json(r.createWebClient().goTo("ephemeral-credentials-oidc/jwks", "application/json"));
        assertThat(second).isNotEqualTo(first);
        assertThat(IssuerKeys.get().ring().active().kid()).isEqualTo(second);
        assertThat(jwks.findValuesAsText("kid")).containsExactlyInAnyOrder(first, second);
    }

    private static int status(JenkinsRule.WebClient client, String path) throws Exception {
        return client.goTo(path, null).getWebResponse().getStatusCode();
    }

    private static JsonNode json(Page page) throws Exception {
        return JSON.readTree(page.getWebResponse().getContentAsString());
    }
}
