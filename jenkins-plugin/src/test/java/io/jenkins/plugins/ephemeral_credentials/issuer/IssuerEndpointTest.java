package io.jenkins.plugins.ephemeral_credentials.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import hudson.ExtensionList;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import java.time.Duration;
import jenkins.model.Jenkins;
import jenkins.model.JenkinsLocationConfiguration;
import org.htmlunit.Page;
import org.htmlunit.WebResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;
import org.springframework.security.access.AccessDeniedException;

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
        // The configuration lives on the Security page, which only an administrator may submit.
        JenkinsRule.WebClient admin = r.createWebClient().login("admin");
        r.submit(admin.goTo("manage/configureSecurity/").getFormByName("config"));
        assertThat(EphemeralCredentialsConfiguration.get().getTokenLifetimeMinutes()).isEqualTo(7);

        JsonNode jwks = json(r.createWebClient().goTo("ephemeral-credentials-oidc/jwks", "application/json"));
        assertThat(second).isNotEqualTo(first);
        assertThat(IssuerKeys.get().ring().active().kid()).isEqualTo(second);
        assertThat(jwks.findValuesAsText("kid")).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void withoutAConfiguredJenkinsUrlNothingIsServedWhateverTheRequestSays() throws Exception {
        JenkinsLocationConfiguration.get().setUrl(null);
        JenkinsRule.WebClient anonymous = r.createWebClient();
        anonymous.setThrowExceptionOnFailingStatusCode(false);
        // What Jenkins.getRootUrl() would otherwise build the issuer from.
        anonymous.addRequestHeader("X-Forwarded-Host", "attacker.example");
        anonymous.addRequestHeader("X-Forwarded-Proto", "https");

        for (String document : new String[] {"/.well-known/openid-configuration", "/jwks"}) {
            WebResponse response = anonymous.goTo("ephemeral-credentials-oidc" + document, null).getWebResponse();

            assertThat(response.getStatusCode()).isEqualTo(503);
            assertThat(response.getResponseHeaderValue("Cache-Control")).isEqualTo("no-store");
            assertThat(response.getContentAsString()).contains("No Jenkins URL is configured")
                    .contains("Manage Jenkins > System").doesNotContain("attacker.example");
        }
    }

    @Test
    void withoutAConfiguredJenkinsUrlTheIssuerPageSaysWhatToSet() throws Exception {
        JenkinsLocationConfiguration.get().setUrl(null);

        String page = r.createWebClient().login("admin").goTo("manage/ephemeral-credentials-issuer/")
                .getWebResponse().getContentAsString();

        assertThat(page).contains("No Jenkins URL is configured").doesNotContain("/.well-known/openid-configuration");
    }

    @Test
    void theAdministratorsIssuerUrlIsServedWithoutAJenkinsUrlToo() throws Exception {
        EphemeralCredentialsConfiguration.get().setIssuerUrl("https://keys.example.com/jenkins");
        JenkinsLocationConfiguration.get().setUrl(null);

        JsonNode discovery = json(r.createWebClient().goTo("ephemeral-credentials-oidc/.well-known/openid-configuration",
                "application/json"));

        assertThat(discovery.get("issuer").asText()).isEqualTo("https://keys.example.com/jenkins");
        assertThat(discovery.get("jwks_uri").asText()).isEqualTo("https://keys.example.com/jenkins/jwks");
    }

    @Test
    void theIssuerPageChecksAdministerItselfNotOnlyInItsLayout() {
        IssuerPage page = ExtensionList.lookupSingleton(IssuerPage.class);

        try (ACLContext ignored = ACL.as2(User.getById("developer", true).impersonate2())) {
            assertThatThrownBy(page::getTarget).isInstanceOf(AccessDeniedException.class);
        }
        try (ACLContext ignored = ACL.as2(User.getById("admin", true).impersonate2())) {
            assertThat(page.getTarget()).isSameAs(page);
        }
    }

    private static int status(JenkinsRule.WebClient client, String path) throws Exception {
        return client.goTo(path, null).getWebResponse().getStatusCode();
    }

    private static JsonNode json(Page page) throws Exception {
        return JSON.readTree(page.getWebResponse().getContentAsString());
    }
}
