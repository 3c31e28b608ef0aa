package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderInputsTest {

    private static ActionInputs inputs(String... nameValue) {
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            env.put(ActionInputs.variable(nameValue[i]), nameValue[i + 1]);
        }
        return new ActionInputs(env);
    }

    @Test
    void eachProviderAsksForTheAudienceItsOwnGuideTellsAdministratorsToTrust() {
        assertThat(ProviderInputs.plan(inputs("role-to-assume", "arn:aws:iam::123456789012:role/d")).audience())
                .isEqualTo("sts.amazonaws.com");
        assertThat(ProviderInputs.plan(inputs("workload-identity-provider",
                "projects/1/locations/global/workloadIdentityPools/p/providers/gh")).audience())
                .isEqualTo("https://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/gh");
        assertThat(ProviderInputs.plan(inputs("tenant-id", "t", "client-id", "c")).audience())
                .isEqualTo("api://AzureADTokenExchange");
        // None: the runner then issues GitHub's default, https://github.com/OWNER, which Vault roles bind.
        assertThat(ProviderInputs.plan(inputs("provider", "vault", "vault-url", "https://vault.example.com",
                "vault-role", "ci")).audience()).isNull();
        assertThat(ProviderInputs.plan(inputs("provider", "vault", "vault-url", "https://vault.example.com",
                "vault-role", "ci", "audience", "sigstore")).audience()).isEqualTo("sigstore");
    }

    @Test
    void anAwsDurationOutsideStsRangeIsRefusedNamingTheInputNeverCut() {
        assertThat(ProviderInputs.plan(inputs("role-to-assume", "arn:aws:iam::123456789012:role/d",
                "role-duration-seconds", "43200")).lifetime().toSeconds()).isEqualTo(43_200);
        assertThatThrownBy(() -> ProviderInputs.plan(inputs("role-to-assume", "arn:aws:iam::123456789012:role/d",
                "role-duration-seconds", "43201"))).isInstanceOf(ActionException.class)
                .hasMessage("input `role-duration-seconds` is 43201; AWS STS issues role credentials for 900 to "
                        + "43200 seconds (and no longer than the role's maximum session duration); pick a value in "
                        + "that range");
        assertThatThrownBy(() -> ProviderInputs.plan(inputs("role-to-assume", "arn:aws:iam::123456789012:role/d",
                "role-chaining", "arn:aws:iam::123456789012:role/e", "role-duration-seconds", "7200")))
                .hasMessageContaining("900 to 3600 seconds when `role-chaining` assumes a second role");
    }

    @Test
    void aProvidersMessageIsPutInTheStepsInputNames() {
        assertThat(ProviderInputs.inInputTerms("aws", "parameter 'role-arn' is 'x'; parameter 'chain-role-arn' too"))
                .isEqualTo("input `role-to-assume` is 'x'; input `role-chaining` too");
    }
}
