package io.github.ephemeralcredentials.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Planning against this installation's real provider descriptors: what a host (the Jenkins step, the action, the CLI)
 * learns before it asks for a token.
 */
class PlanTest {

    private static final Policy POLICY = PolicyLoader.parse("""
            version: 1
            profiles:
              aws:
                provider: aws
                maxLifetime: 15m
                parameters: {role-arn: "arn:aws:iam::123456789012:role/deploy", region: eu-west-1}
              gcp:
                provider: gcp
                maxLifetime: 15m
                parameters: {workload-identity-provider: projects/123456789012/locations/global/workloadIdentityPools/ci/providers/jenkins}
              azure:
                provider: azure
                maxLifetime: 15m
                parameters: {tenant-id: 72f988bf-86f1-41af-91ab-2d7cd011db47, client-id: 11111111-2222-3333-4444-555555555555}
              token-exchange:
                provider: token-exchange
                maxLifetime: 15m
                parameters: {issuer: "https://as.example.com", client-id: ci}
              jwt-bearer:
                provider: jwt-bearer
                maxLifetime: 15m
                parameters: {token-endpoint: "https://as.example.com/token", client-id: ci}
              vault:
                provider: vault
                maxLifetime: 15m
                parameters: {address: "https://vault.example.com:8200", role: ci}
              github-app:
                provider: github-app
                maxLifetime: 10m
                parameters: {app-id: "424242", private-key-env: GITHUB_APP_KEY, owner: acme}
            rules:
              - name: main
                issuer: https://ci.example.com/ephemeral-credentials-oidc
                profiles: [aws, gcp, azure, token-exchange, jwt-bearer, vault, github-app]
                claims: {branch: main}
            """, "plan test policy", Providers.descriptors());

    private static Plan plan(CredentialRequest request) {
        return Exchange.plan(request, POLICY);
    }

    /** What lets {@code withEphemeralCredentials(profile: 'x')} run without {@code audience:}. */
    @Test
    void everyProviderWithADefaultAudienceGivesItWithoutTheHostNamingOne() {
        assertThat(plan(CredentialRequest.forProfile("aws")).audience()).isEqualTo("sts.amazonaws.com");
        assertThat(plan(CredentialRequest.forProfile("azure")).audience()).isEqualTo("api://AzureADTokenExchange");
        assertThat(plan(CredentialRequest.forProfile("gcp")).audience()).isEqualTo("https://iam.googleapis.com/"
                + "projects/123456789012/locations/global/workloadIdentityPools/ci/providers/jenkins");
        assertThat(plan(CredentialRequest.forProfile("token-exchange")).audience()).isEqualTo("https://as.example.com");
        assertThat(plan(CredentialRequest.forProfile("jwt-bearer")).audience()).isEqualTo("https://as.example.com/token");
        // No default of its own: the host asks for one (GitHub's own default is what Vault roles bind).
        assertThat(plan(CredentialRequest.forProfile("vault")).audience()).isNull();
        assertThat(plan(CredentialRequest.forProfile("vault").withAudience("https://github.com/acme")).audience())
                .isEqualTo("https://github.com/acme");
    }

    @Test
    void aProfilesLifetimeCapsWhatIsAskedAndNothingAskedMeansTheCap() {
        assertThat(plan(CredentialRequest.forProfile("aws").withLifetime(Duration.ofHours(2))).lifetime())
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(plan(CredentialRequest.forProfile("aws")).lifetime()).isEqualTo(Duration.ofMinutes(15));
        assertThat(plan(CredentialRequest.forProfile("aws").withLifetime(Duration.ofMinutes(5))).lifetime())
                .isEqualTo(Duration.ofMinutes(5));
    }

    /** Jenkins' {@code tokenFile: true}: the provider's own token-file mode, through the same call. */
    @Test
    void aTokenFileIsTheProvidersOwnModeAndRefusedWhereItHasNone() {
        assertThat(plan(CredentialRequest.forProfile("aws").withTokenFile(true)).parameters())
                .containsEntry("web-identity-token-file", true)
                .containsEntry("role-arn", "arn:aws:iam::123456789012:role/deploy");
        assertThat(plan(CredentialRequest.forProfile("aws")).parameters()).doesNotContainKey("web-identity-token-file");
        assertThatThrownBy(() -> plan(CredentialRequest.forProfile("vault").withTokenFile(true)))
                .isInstanceOfSatisfying(ExchangeException.class, e -> assertThat(e.reason())
                        .isEqualTo(ExchangeException.Reason.INVALID_REQUEST))
                .hasMessageContaining("provider 'vault' has no token-file mode");
    }

    @Test
    void aRequestThatContradictsItsProfileIsRefusedBeforeAnyToken() {
        assertThatThrownBy(() -> plan(CredentialRequest.forProfile("aws").withProvider("gcp")))
                .hasMessageContaining("profile 'aws' is for provider 'aws'");
        assertThatThrownBy(() -> Exchange.plan(new CredentialRequest("aws", null, Map.of("region", "x"), Map.of(),
                null, null, false), POLICY)).hasMessageContaining("fixes the provider's parameters");
        assertThatThrownBy(() -> plan(CredentialRequest.direct("asw", Map.of(), Map.of())))
                .isInstanceOfSatisfying(ExchangeException.class, e -> assertThat(e.reason())
                        .isEqualTo(ExchangeException.Reason.UNKNOWN_PROVIDER))
                .hasMessageContaining("use one of aws, azure");
    }

    @Test
    void githubAppAndTheServicesOwnJwtAreTheProvidersThatNeverShowTheTokenToAVerifier() {
        assertThat(Providers.descriptors().values()).filteredOn(d -> !d.presentsCiToken())
                .extracting(d -> d.id()).containsExactly("github-app", "jwt");
    }
}
