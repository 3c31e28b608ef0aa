package io.github.ephemeralcredentials.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.aws.AwsDescriptor;
import io.github.ephemeralcredentials.core.provider.oauth.TokenExchangeDescriptor;
import io.github.ephemeralcredentials.core.provider.vault.VaultDescriptor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CleanupScopeTest {

    private static final Path WORKSPACE = Path.of("/github/workspace");
    private static final Path TEMP = Path.of("/github/runner_temp");
    private static final Map<String, ProviderDescriptor> KNOWN = Map.of("aws", AwsDescriptor.DESCRIPTOR,
            "vault", VaultDescriptor.DESCRIPTOR, "token-exchange", TokenExchangeDescriptor.DESCRIPTOR);
    private final CleanupScope scope = CleanupScope.of(List.of(WORKSPACE, TEMP), "gha-creds-", KNOWN);

    private static CleanupRecord record(String provider, List<Revocation> revocations, List<String> files,
                                        List<String> variables) {
        return new CleanupRecord(provider, Instant.parse("2030-01-01T00:00:00Z"), revocations, files, variables);
    }

    @Test
    void whatTheMainStepWroteIsInScope() {
        assertThat(scope.problems(record("aws", List.of(new Revocation("vault", "vault-token",
                        Map.of("address", "https://vault.example:8200", "token", "s.canary"))),
                List.of("/github/workspace/gha-creds-0123456789abcdef.json", "/github/runner_temp/gha-creds-1"),
                List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION")))).isEmpty();
        assertThat(scope.problems(record("vault", List.of(new Revocation("vault", "vault-token",
                Map.of("address", "http://127.0.0.1:8200", "token", "s.canary"))), List.of(),
                List.of("VAULT_TOKEN", "DB_PASSWORD")))).isEmpty();
    }

    @Test
    void filesOutsideTheHostsOwnAreRefused() {
        for (String file : List.of("/etc/shadow", "/root/.ssh/id_rsa", "/github/workspace/src/Main.java",
                "/github/workspace/../../etc/gha-creds-x", "/github/workspace/sub/gha-creds-x", "gha-creds-x",
                "/github/workspace/gha-creds-x/../Main.java", "/github/workspace/gha-creds-\u0000")) {
            assertThat(scope.problems(record("aws", List.of(), List.of(file), List.of()))).as(file).hasSize(1);
        }
    }

    @Test
    void onlyTheProvidersOwnVariablesMayBeBlanked() {
        for (String variable : List.of("PATH", "LD_PRELOAD", "GITHUB_TOKEN", "HOME", "VAULT_TOKEN")) {
            assertThat(scope.problems(record("aws", List.of(), List.of(), List.of(variable)))).as(variable)
                    .singleElement().asString().contains(variable).contains("aws");
        }
        for (String variable : List.of("PATH", "LD_PRELOAD", "GITHUB_ENV", "NODE_OPTIONS")) {
            assertThat(scope.problems(record("token-exchange", List.of(), List.of(), List.of(variable))))
                    .as(variable).hasSize(1);
        }
        assertThat(scope.problems(record("unknown", List.of(), List.of(), List.of("AWS_REGION")))).hasSize(1);
    }

    @Test
    void revocationsSendTheirTokenOnlyOverHttpsOrToLoopback() {
        for (Revocation revocation : List.of(
                new Revocation("vault", "vault-token", Map.of("address", "http://vault.example:8200", "token", "s.x")),
                new Revocation("token-exchange", "rfc7009", Map.of("endpoint", "http://10.0.0.7/revoke", "token", "t")))) {
            assertThat(scope.problems(record("vault", List.of(revocation), List.of(), List.of())))
                    .singleElement().asString().contains("neither https nor loopback").doesNotContain("s.x");
        }
    }

    @Test
    void namesFromTheRecordCannotSteerALog() {
        assertThat(scope.problems(record("aws", List.of(), List.of(), List.of("X\n::add-mask::y\u202e"))))
                .singleElement().asString().doesNotContain("\n").doesNotContain("\u202e").contains("\\u000A");
    }
}
