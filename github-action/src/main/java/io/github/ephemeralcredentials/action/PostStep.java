package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The action's post step (action.yml {@code post-entrypoint}), run at the end of the job even when the main step
 * failed: revokes what the providers can revoke, deletes credential files, blanks the exported variables for the
 * remaining post steps. Cleanup problems are warnings, not failures: the credentials expire within minutes anyway,
 * and failing an otherwise green job over a revocation hiccup would teach people to turn revocation off.
 */
public final class PostStep {

    private final Map<String, String> env;
    private final WorkflowCommands commands;
    private final ActionRuntime runtime;

    public PostStep(Map<String, String> env, WorkflowCommands commands, ActionRuntime runtime) {
        this.env = Map.copyOf(env);
        this.commands = Objects.requireNonNull(commands, "commands");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    public int run() {
        try {
            String saved = env.get("STATE_" + ActionState.NAME);
            if (saved == null || saved.isBlank()) {
                commands.info("Nothing to clean up: the main step handed out no credentials.");
                return 0;
            }
            ActionState state = ActionState.fromJson(saved);
            if (!state.revoke()) {
                commands.info("Cleanup skipped (revoke: false): the credentials stay valid until they expire.");
                return 0;
            }
            int revoked = 0;
            for (Revocation revocation : state.revocations()) {
                try {
                    runtime.provider(revocation.provider()).revoke(revocation);
                    revoked++;
                } catch (ProviderException | ActionException e) {
                    commands.warning("could not revoke " + revocation.provider() + " " + revocation.kind() + ": "
                            + e.getMessage() + " — it stays valid until it expires");
                }
            }
            int deleted = 0;
            for (String file : state.files()) {
                try {
                    if (Files.deleteIfExists(Path.of(file))) {
                        deleted++;
                    }
                } catch (IOException e) {
                    commands.warning("could not delete the credentials file " + file + ": " + e.getMessage());
                }
            }
            if (!state.exportedEnv().isEmpty()) {
                FileCommand envFile = RunnerFiles.from(env).env();
                state.exportedEnv().forEach(name -> envFile.set(name, ""));
            }
            commands.info("Cleaned up: revoked " + revoked + " of " + state.revocations().size() + ", deleted "
                    + deleted + " file(s), blanked " + state.exportedEnv().size() + " variable(s).");
            return 0;
        } catch (ActionException e) {
            commands.warning(e.getMessage());
            return 0;
        }
    }
}
