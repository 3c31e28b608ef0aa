package io.github.ephemeralcredentials.core.provider.vault;

import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.BOOLEAN;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.LIST;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.STRING;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.TEXT;

import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.broker.ExportedNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Vault provider as data (see {@link VaultProvider}). A class of its own so that reading it loads none of the
 * provider's code.
 */
public final class VaultDescriptor {

    static final String POLICIES = "policies";

    public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("vault",
            "HashiCorp Vault or OpenBao JWT auth, optionally reading secrets",
            List.of(
                    ParameterSpec.required("address", STRING, "the Vault address (VAULT_ADDR), e.g. "
                            + "https://vault.example.com:8200").withActionInput("vault-url"),
                    ParameterSpec.required("role", STRING, "the JWT auth role to log in with")
                            .withActionInput("vault-role"),
                    ParameterSpec.optional("mount", STRING, "the path the JWT auth method is mounted at")
                            .withDefault("jwt").withActionInput("vault-path"),
                    ParameterSpec.optional("namespace", STRING, "the Vault Enterprise namespace")
                            .withActionInput("vault-namespace"),
                    ParameterSpec.optional("secrets", TEXT, "secrets to read, one 'PATH KEY | ENV_VAR' a line "
                            + "(vault-action's syntax)").withActionInput("vault-secrets"),
                    ParameterSpec.optional("export-token", BOOLEAN, "export VAULT_TOKEN for the job")
                            .withDefault("true"),
                    // The login takes what the role grants; this says what the role should grant, for the export.
                    ParameterSpec.optional(POLICIES, LIST, "the Vault policies `policy export --format vault` "
                            + "writes into the role's token_policies")),
            List.of(),
            // The role's token_ttl decides and the login API takes no lifetime; the bound is Vault's default
            // max_lease_ttl (32 days), above which no Vault issues a token unless reconfigured.
            Duration.ofSeconds(1),
            parameters -> Duration.ofDays(32),
            // None: the CI system's default (GitHub's https://github.com/OWNER) is what GitHub's Vault guide has
            // roles bind in bound_audiences.
            parameters -> Optional.empty(),
            true, null, Set.of("vault-url"), null)
            .exporting(ExportedNames::mayExport);

    private VaultDescriptor() {
    }

    /** The policies a profile wants its exported Vault role to grant, if it names a list of them. */
    public static Optional<List<String>> policies(Map<String, Object> parameters) {
        return parameters.get(POLICIES) instanceof List<?> list && list.stream().allMatch(String.class::isInstance)
                ? Optional.of(list.stream().map(String.class::cast).toList()) : Optional.empty();
    }
}
