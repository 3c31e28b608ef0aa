package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.provider.ProviderException;
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
                .hasMessage("input `role-duration-seconds` is 43201; aws issues credentials for 900 to 43200 "
                        + "seconds; pick a value in that range");
        assertThatThrownBy(() -> ProviderInputs.plan(inputs("role-to-assume", "arn:aws:iam::123456789012:role/d",
                "role-chaining", "arn:aws:iam::123456789012:role/e", "role-duration-seconds", "7200")))
                .hasMessageContaining("900 to 3600 seconds when `role-chaining` is set");
    }

    @Test
    void aProvidersMessageNamesTheInputTheUserWroteFromTheParameterAsData() {
        ProviderException missing = Parameters.of("aws", Map.of()).invalid("role-arn", "is required (e.g. arn:x)");
        assertThat(missing.parameter()).contains("role-arn");
        assertThat(ProviderInputs.inInputTerms(missing)).isEqualTo("aws: input `role-to-assume` is required (e.g. arn:x)");
        ProviderException scope = Parameters.scope("aws", Map.of()).invalid("policy-arns", "lists 11 policies");
        assertThat(ProviderInputs.inInputTerms(scope)).isEqualTo("aws: input `managed-session-policies` lists 11 policies");
        // A parameter without an input, and a message about no one parameter, stay as the provider wrote them.
        ProviderException noInput = Parameters.of("aws", Map.of()).invalid("credentials-profile", "is bad");
        assertThat(ProviderInputs.inInputTerms(noInput)).isEqualTo("aws: parameter 'credentials-profile' is bad");
        ProviderException general = Parameters.of("aws", Map.of()).invalid("the role cannot be assumed");
        assertThat(ProviderInputs.inInputTerms(general)).isEqualTo("aws: the role cannot be assumed");
    }

    @Test
    void aListInputIsSplitAsItsParameterTypeSays() {
        ExchangePlan plan = ProviderInputs.plan(inputs("role-to-assume", "arn:aws:iam::123456789012:role/d",
                "managed-session-policies", "arn:aws:iam::aws:policy/A\narn:aws:iam::aws:policy/B,C"));
        assertThat(plan.scope()).containsEntry("policy-arns",
                java.util.List.of("arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B,C"));
        assertThat(ProviderInputs.plan(inputs("workload-identity-provider",
                "projects/1/locations/global/workloadIdentityPools/p/providers/gh", "access-token-scopes", "a, b"))
                .scope()).containsEntry("scopes", java.util.List.of("a", "b"));
    }
}
