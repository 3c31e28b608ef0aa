package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * action.yml against the code: every input the steps read is documented there (and nothing else), and every
 * provider parameter an input becomes is one the real provider of {@link Providers#standard} accepts.
 */
class ActionYmlTest {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> actionYml() throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Path.of("..", "action.yml")));
    }

    @SuppressWarnings("unchecked")
    private static Set<String> declaredInputs() throws IOException {
        return new TreeSet<>(((Map<String, Object>) actionYml().get("inputs")).keySet());
    }

    @Test
    void actionYmlDeclaresExactlyTheInputsTheStepsRead() throws IOException {
        Set<String> read = new TreeSet<>(MainStep.GENERAL_INPUTS);
        read.addAll(ProviderInputs.inputs());
        read.add(CredentialFiles.WORKSPACE_INPUT);

        assertThat(declaredInputs()).containsExactlyInAnyOrderElementsOf(read);
    }

    @Test
    void noProviderInputHasADefaultForTheRunnerWouldSetItOnEveryStepAndClashWithAProfile() {
        assertThat(RunnerEmulation.ACTION_YML_DEFAULTS.keySet()).isNotEmpty()
                .doesNotContainAnyElementsOf(ProviderInputs.providerSpecificInputs());
    }

    /**
     * Both ways: every output some profile makes the step write is declared (a workflow reading an undeclared one
     * works, but nobody can find it), and every declared output is written by some profile (action.yml once declared
     * {@code credentials-file-path} while the step wrote {@code credentials-file}).
     */
    @Test
    @SuppressWarnings("unchecked")
    void actionYmlDeclaresExactlyTheOutputsTheStepsWrite() throws Exception {
        Set<String> written = new TreeSet<>();
        try (EveryOutput every = new EveryOutput(dir)) {
            every.run().values().forEach(written::addAll);
        }
        assertThat(written).containsAll(EveryOutput.CONFIGURED_NAMES);
        written.removeAll(EveryOutput.CONFIGURED_NAMES);

        Set<String> declared = new TreeSet<>(((Map<String, Object>) actionYml().get("outputs")).keySet());
        assertThat(declared).containsExactlyInAnyOrderElementsOf(written);
    }

    /**
     * The runner rewrites every environment value of a container step that starts with a mounted host directory
     * (actions/runner ContainerActionHandler: {@code TranslateToContainerPath} over the whole environment, inputs
     * included), and a {@code runs.env} or {@code runs.args} expression may read only {@code inputs}
     * (action_yaml.json, {@code container-runs-env}/{@code container-runs-context}). So github.workspace reaches
     * the container untranslated only as an input default, passed on as an argument.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theRunnersWorkspaceReachesTheContainerAsAnArgument() throws IOException {
        Map<String, Object> action = actionYml();
        Map<String, Object> input = (Map<String, Object>) ((Map<String, Object>) action.get("inputs"))
                .get(CredentialFiles.WORKSPACE_INPUT);
        assertThat(input.get("default")).isEqualTo("${{ github.workspace }}");
        Map<String, Object> runs = (Map<String, Object>) action.get("runs");
        assertThat((List<Object>) runs.get("args"))
                .containsExactly("action", "main", "${{ inputs." + CredentialFiles.WORKSPACE_INPUT + " }}");
    }

    /** Every input of one provider, with values the provider's own validation accepts. */
    private static Map<String, String> allInputs(String provider) {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("provider", provider);
        switch (provider) {
            case "aws" -> {
                in.put("role-to-assume", "arn:aws:iam::123456789012:role/deploy");
                in.put("aws-region", "eu-west-1");
                in.put("role-session-name", "ci");
                in.put("role-chaining", "arn:aws:iam::123456789012:role/next");
                in.put("aws-sts-endpoint", "https://sts.eu-west-1.amazonaws.com");
                in.put("role-duration-seconds", "900");
                in.put("inline-session-policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}");
                in.put("managed-session-policies", "arn:aws:iam::aws:policy/ReadOnlyAccess");
            }
            case "gcp" -> {
                in.put("workload-identity-provider",
                        "projects/123456789/locations/global/workloadIdentityPools/ci-pool/providers/github");
                in.put("service-account", "deploy@acme-prod.iam.gserviceaccount.com");
                in.put("create-credentials-file", "false");
                in.put("access-token-lifetime", "600s");
                in.put("access-token-scopes", "https://www.googleapis.com/auth/cloud-platform");
            }
            case "azure" -> {
                in.put("client-id", "11111111-2222-3333-4444-555555555555");
                in.put("tenant-id", "72f988bf-86f1-41af-91ab-2d7cd011db47");
                in.put("token-endpoint", "https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token");
                in.put("scope", "https://management.azure.com/.default");
            }
            case "vault" -> {
                in.put("vault-url", "https://vault.example.com:8200");
                in.put("vault-role", "ci");
                in.put("vault-namespace", "team-a");
                in.put("vault-path", "jwt-github");
                in.put("vault-secrets", "secret/data/ci/db password | DB_PASSWORD");
            }
            case "token-exchange" -> {
                in.put("token-endpoint", "https://as.example.com/token");
                in.put("client-id", "ci-exchanger");
                in.put("client-secret-env", "AS_SECRET");
                in.put("subject-issuer", "github");
                in.put("subject-token-type", "jwt");
                in.put("requested-token-type", "access_token");
                in.put("target-audience", "deploy-api");
                in.put("resource", "https://api.example.com/");
                in.put("scope", "deploy");
            }
            case "jwt-bearer" -> {
                in.put("token-endpoint", "https://as.example.com/token");
                in.put("client-id", "ci-bearer");
                in.put("client-secret-env", "AS_SECRET");
                in.put("scope", "deploy");
            }
            default -> throw new IllegalArgumentException(provider);
        }
        return in;
    }

    private static final class TokenRequested extends RuntimeException {
        TokenRequested() {
            super("the provider accepted its parameters and asked for the CI token");
        }
    }

    private Throwable exchange(String provider, Map<String, String> inputs, Map<String, Object> extraParameters) {
        Map<String, String> env = new HashMap<>();
        inputs.forEach((name, value) -> env.put(ActionInputs.variable(name), value));
        ExchangePlan plan = ProviderInputs.plan(new ActionInputs(env));
        Map<String, Object> parameters = new LinkedHashMap<>(plan.parameters());
        parameters.putAll(extraParameters);
        Map<String, CredentialProvider> providers = Providers.standard(HttpClients.create(HttpSettings.DEFAULT),
                Retries.immediate(1), Map.of("AS_SECRET", "s")::get, dir, Clock.systemUTC());
        Supplier<String> token = () -> {
            throw new TokenRequested();
        };
        Claims claims = Claims.fromJson("{\"iss\":\"https://token.actions.githubusercontent.com\",\"sub\":\"repo:o/r:ref:refs/heads/main\","
                + "\"aud\":\"" + plan.audience() + "\",\"exp\":4102444800,\"repository\":\"o/r\",\"run_id\":\"1\",\"run_attempt\":\"1\"}");
        return catchThrowable(() -> providers.get(provider).exchange(
                new ExchangeRequest(token, claims, parameters, plan.scope(), plan.lifetime())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws", "gcp", "azure", "vault", "token-exchange", "jwt-bearer"})
    void everyInputBecomesAParameterTheProviderAccepts(String provider) {
        assertThat(exchange(provider, allInputs(provider), Map.of())).isInstanceOf(TokenRequested.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gcp", "azure", "vault", "token-exchange", "jwt-bearer"})
    void theProviderRefusesAnUnknownParameterBeforeAskingForTheToken(String provider) {
        // The control for the test above: a key the provider does not know is refused, not ignored.
        assertThat(exchange(provider, allInputs(provider), Map.of("roleArn", "arn:aws:iam::123456789012:role/x")))
                .isInstanceOf(ProviderException.class).hasMessageContaining("roleArn");
    }

    /**
     * The AWS provider ignores keys it does not know (so the control above cannot hold for it): instead, a bad value
     * in each input must draw the provider's error naming the parameter the input feeds — proof the key is read.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "role-to-assume | x | 'role-arn'",
            "aws-region | x | 'region'",
            "role-chaining | x | 'chain-role-arn'",
            "role-session-name | a b | 'session-name'",
            "aws-sts-endpoint | ftp://sts.example.com | 'endpoint'",
            "inline-session-policy | [ | 'session-policy'",
            "managed-session-policies | x | 'policy-arns'"})
    void eachAwsInputFeedsTheParameterTheAwsProviderReads(String input, String badValue, String named) {
        Map<String, String> inputs = allInputs("aws");
        inputs.put(input, badValue);
        Throwable refused = catchThrowable(() -> exchange("aws", inputs, Map.of()));
        if (refused != null) {
            // The inputs whose form the descriptor states are refused with the inputs, before the token is asked for.
            assertThat(refused).isInstanceOf(ActionException.class).hasMessageContaining("input `" + input + "`");
            return;
        }
        assertThat(exchange("aws", inputs, Map.of())).isInstanceOf(ProviderException.class).hasMessageContaining(named);
    }
}
