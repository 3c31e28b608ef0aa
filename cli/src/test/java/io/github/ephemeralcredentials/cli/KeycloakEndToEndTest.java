package io.github.ephemeralcredentials.cli;

import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.BEARER_CLIENT;
import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.BEARER_SECRET;
import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.CI_SUBJECT;
import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.EXCHANGE_CLIENT;
import static io.github.ephemeralcredentials.core.peers.KeycloakRealm.EXCHANGE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.action.PostStep;
import io.github.ephemeralcredentials.action.Canary;
import io.github.ephemeralcredentials.action.RunnerEmulation;
import io.github.ephemeralcredentials.action.RunnerFileCommands;
import io.github.ephemeralcredentials.core.peers.KeycloakPeer;
import io.github.ephemeralcredentials.core.peers.KeycloakRealm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The action end to end against a real Keycloak 26 ({@link KeycloakPeer}) for the generic inputs: RFC 7523
 * (jwt-bearer), RFC 8693 (token-exchange) and an Azure-style federated client assertion. The runner emulation hands
 * out tokens from the CI issuer Keycloak trusts; the container's main step exchanges one; Keycloak's own
 * introspection (RFC 7662) says the token works; the post step revokes it (RFC 7009) and blanks the variable.
 */
@ExtendWith(KeycloakPeer.class)
class KeycloakEndToEndTest {

    private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    @TempDir
    Path dir;

    private RunnerEmulation runner;
    private KeycloakRealm realm;

    @BeforeEach
    void start(KeycloakRealm realm) throws IOException {
        this.realm = realm;
        runner = new RunnerEmulation(dir);
        // Keycloak's realm links its CI user to one subject: the tokens carry it, for the audience the step asks.
        runner.mintWith(audience -> realm.mint(CI_SUBJECT, audience));
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    /** The token the main step exported, and the variables as the post step left them. */
    private record Steps(String token, Map<String, String> afterPost) {
    }

    /** Main step (token active, masked, in no summary or output), then the post step (variable blanked). */
    private Steps mainThenPost(Map<String, String> inputs, Map<String, String> stepEnv, String variable,
                                             TokenCheck active) throws Exception {
        Map<String, String> env = new LinkedHashMap<>(runner.environment(inputs, true));
        env.putAll(stepEnv);
        Container.Result main = Container.run(env, runner.workspace(), "action", "main");
        assertThat(main.exitCode()).as(main.stdout() + main.stderr()).isZero();

        String token = RunnerFileCommands.read(runner.step().env()).get(variable);
        assertThat(token).isNotBlank();
        assertThat(active.active(token)).as("introspection after main").isTrue();
        List<String> secrets = List.of(token);
        Canary.maskedBeforeAnythingElse(main.stdout(), secrets);
        Canary.onlyInsideMasks(main.stdout(), secrets);
        assertThat(main.stderr()).doesNotContain(token);
        Canary.absent(Files.readString(runner.step().summary()), secrets);
        Canary.absent(String.join("\n", RunnerFileCommands.read(runner.step().output()).values()), secrets);

        Map<String, String> state = RunnerFileCommands.read(runner.step().state());
        assertThat(state).containsKey(PostStep.STATE);
        Map<String, String> postEnv = new LinkedHashMap<>(runner.postEnvironment(inputs, state));
        postEnv.putAll(stepEnv);
        Container.Result post = Container.run(postEnv, runner.workspace(), "action", "post");
        assertThat(post.exitCode()).as(post.stdout() + post.stderr()).isZero();
        Canary.onlyInsideMasks(post.stdout(), secrets);
        Map<String, String> blanked = RunnerFileCommands.read(runner.step().env());
        assertThat(blanked).containsEntry(variable, "");
        return new Steps(token, blanked);
    }

    @FunctionalInterface
    private interface TokenCheck {
        boolean active(String token) throws IOException;
    }

    @Test
    void jwtBearerTokenWorksIsMaskedAndIsRevokedByThePostStep() throws Exception {
        Map<String, String> inputs = Map.of("provider", "jwt-bearer", "issuer", realm.issuer(),
                "client-id", BEARER_CLIENT, "client-secret-env", "KC_BEARER_SECRET");
        TokenCheck active = token -> realm.active(token, BEARER_CLIENT, BEARER_SECRET);

        Steps steps = mainThenPost(inputs, Map.of("KC_BEARER_SECRET", BEARER_SECRET), "ACCESS_TOKEN", active);

        assertThat(active.active(steps.token())).as("introspection after post").isFalse();
    }

    @Test
    void tokenExchangeTokenWorksIsMaskedAndIsRevokedByThePostStep() throws Exception {
        Map<String, String> inputs = Map.of("provider", "token-exchange", "issuer", realm.issuer(),
                "audience", EXCHANGE_CLIENT, "client-id", EXCHANGE_CLIENT, "client-secret-env", "KC_EXCHANGE_SECRET",
                "subject-issuer", "ci-oidc", "requested-token-type", "access_token");
        TokenCheck active = token -> realm.active(token, EXCHANGE_CLIENT, EXCHANGE_SECRET);

        Steps steps = mainThenPost(inputs, Map.of("KC_EXCHANGE_SECRET", EXCHANGE_SECRET), "ACCESS_TOKEN", active);

        assertThat(active.active(steps.token())).as("introspection after post").isFalse();
    }

    @Test
    void azureStyleClientAssertionTokenWorksIsMaskedAndBlankedByThePostStep() throws Exception {
        // Entra offers no revocation of an access token: the post step blanks it, and it expires on its own.
        Map<String, String> inputs = Map.of("provider", "azure", "tenant-id", TENANT,
                "client-id", realm.federatedClient(), "token-endpoint", realm.tokenEndpoint(),
                "audience", realm.issuer());

        Steps steps = mainThenPost(inputs, Map.of(), "AZURE_ACCESS_TOKEN", realm::activeForFederatedClient);

        assertThat(steps.afterPost()).containsEntry("AZURE_CLIENT_ID", "").containsEntry("AZURE_TENANT_ID", "");
    }

    @Test
    void outsideActionsExchangeWritesAPrivateStateFileAndRevokeEndsTheToken() throws Exception {
        Path token = Files.writeString(dir.resolve("ci-token"), realm.mint(CI_SUBJECT, realm.issuer()));
        Path state = dir.resolve("ec-state.json");
        Path audit = dir.resolve("audit.jsonl");
        Map<String, String> env = Map.of("KC_BEARER_SECRET", BEARER_SECRET);

        Container.Result exchange = Container.run(env, dir, "exchange", "--provider", "jwt-bearer",
                "--token-file", token.toString(), "-p", "issuer=" + realm.issuer(), "-p", "client-id=" + BEARER_CLIENT,
                "-p", "client-secret-env=KC_BEARER_SECRET", "--state-file", state.toString(),
                "--audit-log", audit.toString());
        assertThat(exchange.exitCode()).as(exchange.stderr()).isZero();
        String accessToken = exchange.stdout().replaceFirst("(?s)^export ACCESS_TOKEN='([^']+)'.*", "$1");
        assertThat(realm.active(accessToken, BEARER_CLIENT, BEARER_SECRET)).isTrue();
        assertThat(Files.getPosixFilePermissions(state)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<String> auditLines = Files.readAllLines(audit);
        assertThat(auditLines).hasSize(1);
        assertThat(auditLines.get(0)).contains("\"outcome\":\"ISSUED\"").contains("\"provider\":\"jwt-bearer\"");
        Canary.absent(auditLines.get(0), List.of(accessToken, BEARER_SECRET, Files.readString(token)));
        assertThat(exchange.stderr()).doesNotContain(accessToken);

        Container.Result again = Container.run(env, dir, "exchange", "--provider", "jwt-bearer",
                "--token-file", token.toString(), "-p", "issuer=" + realm.issuer(), "-p", "client-id=" + BEARER_CLIENT,
                "-p", "client-secret-env=KC_BEARER_SECRET", "--state-file", state.toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(again.stderr()).contains("already exists").contains("revoke --state " + state);
        assertThat(again.stdout()).isEmpty();

        Container.Result revoke = Container.run(env, dir, "revoke", "--state", state.toString());
        assertThat(revoke.exitCode()).as(revoke.stderr()).isZero();
        assertThat(revoke.stderr()).contains("revoked 1 of 1").doesNotContain(accessToken);
        assertThat(realm.active(accessToken, BEARER_CLIENT, BEARER_SECRET)).isFalse();
        assertThat(state).doesNotExist();

        Container.Result missing = Container.run(env, dir, "revoke", "--state", state.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(missing.stderr()).contains("cannot read the state file");
    }
}
