package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** GCP, Vault and Azure exports: the documented shapes, and refusals that name the condition. */
class ProviderExportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Policy policy(String claims) {
        return PolicyLoader.parseStructure("""
                version: 1
                profiles:
                  p: {provider: x, maxLifetime: 10m, parameters: {policies: [ci-read]}}
                rules:
                  - name: main
                    issuer: https://token.actions.githubusercontent.com
                    profiles: [p]
                    claims: %s
                """.formatted(claims), "p.yaml");
    }

    private static JsonNode export(Policy policy, ExportFormat format) throws Exception {
        return JSON.readTree(policy.export("p", format, false).document());
    }

    @Test
    void gcpCarriesEveryConditionIntoCelExactly() throws Exception {
        JsonNode gcp = export(policy("""
                {aud: "https://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ci/providers/gh",
                 sub: {glob: "repo:acme/*:ref:refs/heads/**"}, ref: {regex: "refs/heads/(main|release/.+)"},
                 environment: {absent: true}, actor: {not: {oneOf: [dependabot, renovate]}},
                 repository_owner: {equals: ACME, ignoreCase: true}}"""), ExportFormat.GCP);
        assertThat(gcp.get("oidc").get("issuerUri").asText()).isEqualTo("https://token.actions.githubusercontent.com");
        assertThat(gcp.get("oidc").get("allowedAudiences").get(0).asText()).startsWith("https://iam.googleapis.com/");
        assertThat(gcp.get("attributeMapping").get("google.subject").asText()).isEqualTo("assertion.sub");
        assertThat(gcp.get("attributeMapping").get("attribute.repository_owner").asText())
                .isEqualTo("assertion.repository_owner");
        String cel = gcp.get("attributeCondition").asText();
        assertThat(cel).contains("(\"sub\" in assertion && assertion.sub.matches("
                        + "\"(?s)^(?:repo:acme/[^/:]*:ref:refs/heads/.*)$\"))")
                .contains("assertion.ref.matches(\"^(?:refs/heads/(main|release/.+))$\")")
                .contains("!(\"environment\" in assertion)")
                .contains("(\"actor\" in assertion && !((\"actor\" in assertion && assertion.actor in [\"dependabot\", \"renovate\"])))")
                .contains("assertion.repository_owner.matches(\"(?i)^ACME$\")");
    }

    @Test
    void gcpCombinesRulesWithOrAndDenyRulesWithAndNot() throws Exception {
        Policy p = PolicyLoader.parseStructure("""
                version: 1
                profiles:
                  p: {provider: gcp, maxLifetime: 10m}
                rules:
                  - {name: a, issuer: "https://token.actions.githubusercontent.com", profiles: [p], claims: {aud: x, sub: s1}}
                  - {name: b, issuer: "https://token.actions.githubusercontent.com", profiles: [p], claims: {aud: x, sub: s2}}
                  - {name: d, effect: deny, issuer: "https://token.actions.githubusercontent.com", profiles: ["*"],
                     claims: {event_name: pull_request}}
                """, "p.yaml");
        String cel = JSON.readTree(p.export("p", ExportFormat.GCP, false).document()).get("attributeCondition").asText();
        assertThat(cel).startsWith("((").contains(") || (").contains(" && !((\"event_name\" in assertion && "
                + "assertion.event_name == \"pull_request\"))");
    }

    @Test
    void gcpCannotCheckTokenAgeAndRefusesSeveralIssuers() {
        assertThatThrownBy(() -> policy("{aud: x, iat: {maxAge: 5m}}").export("p", ExportFormat.GCP, false))
                .isInstanceOf(ExportException.class).hasMessageContaining("condition iat at most 5m")
                .hasMessageContaining("a GCP workload identity provider");
        assertThatThrownBy(() -> Fixtures.ciPolicy().export("deploy-prod", ExportFormat.GCP, false))
                .hasMessageContaining("condition iat at most 10m");
    }

    @Test
    void vaultBindsAudiencesAndClaimsWithGlobType() throws Exception {
        JsonNode role = export(policy("{aud: vault.example.com, sub: {glob: \"repo:acme/app:**\"}, "
                + "ref: {oneOf: [refs/heads/main, refs/heads/prod]}}"), ExportFormat.VAULT);
        assertThat(role.get("role_type").asText()).isEqualTo("jwt");
        assertThat(role.get("user_claim").asText()).isEqualTo("sub");
        assertThat(role.get("bound_audiences").get(0).asText()).isEqualTo("vault.example.com");
        assertThat(role.get("bound_claims_type").asText()).isEqualTo("glob");
        assertThat(role.get("bound_claims").get("sub").asText()).isEqualTo("repo:acme/app:*");
        assertThat(role.get("bound_claims").get("ref").size()).isEqualTo(2);
        assertThat(role.get("token_ttl").asLong()).isEqualTo(600);
        assertThat(role.get("token_policies").get(0).asText()).isEqualTo("ci-read");
    }

    @Test
    void vaultRefusesWhatARoleCannotBind() {
        assertThatThrownBy(() -> policy("{aud: v, environment: {absent: true}}").export("p", ExportFormat.VAULT, false))
                .isInstanceOfSatisfying(ExportException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ExportException.Reason.NOT_EXPRESSIBLE);
                    assertThat(e.getMessage()).contains("rule 'main' condition environment absent (p.yaml:")
                            .contains("a Vault JWT role");
                });
        assertThatThrownBy(() -> policy("{aud: v, sub: {glob: \"repo:acme/*\"}}").export("p", ExportFormat.VAULT, false))
                .hasMessageContaining("Vault's glob * also matches");
        ExportResult lossy = policy("{aud: v, sub: repo:acme/app:ref:refs/heads/main, environment: {absent: true}}")
                .export("p", ExportFormat.VAULT, true);
        assertThat(lossy.warnings()).anySatisfy(w -> assertThat(w).contains("will not check rule 'main' condition "
                + "environment absent"));
        assertThat(lossy.document()).doesNotContain("environment");
    }

    @Test
    void azureEmitsOneCredentialPerExactSubject() throws Exception {
        JsonNode fic = export(policy("{aud: api://AzureADTokenExchange, sub: repo:acme/app:environment:prod}"),
                ExportFormat.AZURE);
        assertThat(fic.get("name").asText()).isEqualTo("main");
        assertThat(fic.get("issuer").asText()).isEqualTo("https://token.actions.githubusercontent.com");
        assertThat(fic.get("subject").asText()).isEqualTo("repo:acme/app:environment:prod");
        assertThat(fic.get("audiences").get(0).asText()).isEqualTo("api://AzureADTokenExchange");
        JsonNode many = export(policy("{aud: api://AzureADTokenExchange, sub: {oneOf: [s1, s2]}}"), ExportFormat.AZURE);
        assertThat(many.isArray()).isTrue();
        assertThat(many).extracting(n -> n.get("name").asText()).containsExactly("main-1", "main-2");
    }

    @Test
    void azureRefusesPatternsAndExtraConditions() {
        assertThatThrownBy(() -> policy("{aud: x, sub: {glob: \"repo:acme/**\"}}").export("p", ExportFormat.AZURE, true))
                .hasMessageContaining("has no exact 'sub'");
        assertThatThrownBy(() -> policy("{aud: x, sub: s, ref_protected: {equals: true}}").export("p", ExportFormat.AZURE, false))
                .hasMessageContaining("condition ref_protected equals \"true\"")
                .hasMessageContaining("an Azure federated identity credential");
    }

    @Test
    void exportsRefuseProfilesNoRuleGrants() {
        Policy p = PolicyLoader.parseStructure("""
                version: 1
                profiles: {p: {provider: x, maxLifetime: 10m}, q: {provider: x, maxLifetime: 10m}}
                rules: [{name: r, issuer: "https://token.actions.githubusercontent.com", profiles: [q], claims: {aud: x}}]
                """, "p.yaml");
        assertThatThrownBy(() -> p.export("p", ExportFormat.AWS, true)).isInstanceOfSatisfying(ExportException.class,
                e -> assertThat(e.reason()).isEqualTo(ExportException.Reason.NO_RULES));
        assertThatThrownBy(() -> p.export("r", ExportFormat.AWS, true)).isInstanceOfSatisfying(ExportException.class,
                e -> assertThat(e.reason()).isEqualTo(ExportException.Reason.UNKNOWN_PROFILE));
    }
}
