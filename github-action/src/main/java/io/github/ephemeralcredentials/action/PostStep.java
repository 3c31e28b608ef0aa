package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.exchange.CredentialLifecycle;
import io.github.ephemeralcredentials.core.exchange.CredentialLifecycle.CleanupReport;
import io.github.ephemeralcredentials.core.exchange.CleanupRecord;
import io.github.ephemeralcredentials.core.exchange.ExchangeException;
import io.github.ephemeralcredentials.core.exchange.CleanupScope;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;

/**
 * The action's post step (action.yml {@code post-entrypoint}), run at the end of the job even when the main step
 * failed: the core's cleanup (revoke what the providers can revoke, delete credential files) on the state the main
 * step saved, then the exported variables blanked for the remaining post steps. Cleanup problems are warnings, not
 * failures: the credentials expire within minutes anyway, and failing an otherwise green job over a revocation
 * hiccup would teach people to turn revocation off.
 */
public final class PostStep {

    /** The state's name: the main step saves the core's cleanup record under it; the runner hands it back as
     *  {@code STATE_ephemeral_credentials}. */
    public static final String STATE = "ephemeral_credentials";

    private final Map<String, String> env;
    private final WorkflowCommands commands;
    private final ActionRuntime runtime;

    public PostStep(Map<String, String> env, WorkflowCommands commands, ActionRuntime runtime) {
        this.env = Map.copyOf(env);
        this.commands = Objects.requireNonNull(commands, "commands");
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /**
     * What this action's main step can have written: {@code gha-creds-*} files in the workspace or
     * {@code $RUNNER_TEMP}, the record's provider's own variables, revocations over https or loopback.
     */
    private CleanupScope scope() {
        return scope(env, runtime);
    }

    /** The same rule for the main step, which checks what it saves against it. */
    static CleanupScope scope(Map<String, String> env, ActionRuntime runtime) {
        List<Path> directories = new ArrayList<>();
        for (String variable : List.of("GITHUB_WORKSPACE", "RUNNER_TEMP")) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                directories.add(Path.of(value));
            }
        }
        return new CleanupScope(directories, CredentialFiles.NAME_PREFIX,
                id -> Optional.ofNullable(runtime.providers().get(id)).map(CredentialProvider::descriptor));
    }

    public int run() {
        long start = System.nanoTime();
        try {
            StepDeadline deadline = StepDeadline.from(new ActionInputs(env), StepDeadline.POST_INPUT,
                    StepDeadline.POST_DEFAULT, start);
            String saved = env.get("STATE_" + STATE);
            if (saved == null || saved.isBlank()) {
                commands.info("Nothing to clean up: the main step handed out no credentials.");
                return 0;
            }
            CleanupRecord state = CleanupRecord.fromJson(saved, "the state the main step saved (STATE_" + STATE + ")");
            // The runner hands the post step the same inputs as the main step.
            if (!new ActionInputs(env).bool("revoke", true)) {
                commands.info("Cleanup skipped (revoke: false): the credentials stay valid until "
                        + state.expiresAt() + ".");
                return 0;
            }
            List<String> problems = scope().problems(state);
            if (!problems.isEmpty()) {
                commands.warning("the saved state (STATE_" + STATE + ") was refused, so nothing was revoked, deleted "
                        + "or blanked: " + problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1)
                        + " more)" : "") + ". The main step writes no such state: check the workflow for a step that "
                        + "writes STATE_" + STATE + " or prints workflow commands. The credentials expire at "
                        + state.expiresAt());
                return 0;
            }
            // The revocations in parallel, all within what is left of the deadline; the files and variables after.
            CleanupReport report = new CredentialLifecycle(runtime.providers(), Clock.systemUTC())
                    .cleanup(state, deadline.remaining());
            String waits = StepDeadline.inFlight(runtime.http());
            runtime.http().dispatcher().cancelAll();
            report.failures().forEach(f -> commands.warning("cleanup of " + f.what() + ": " + f.message()
                    + (f.message().contains("did not finish within the deadline")
                    ? " (" + deadline.ranOut() + (waits.isEmpty() ? "" : "; no answer from " + waits)
                    + "; raise `" + StepDeadline.POST_INPUT + "` if that endpoint is just slow)" : "")));
            if (!state.variables().isEmpty()) {
                FileCommand envFile = RunnerFiles.from(env).env();
                state.variables().forEach(name -> envFile.set(name, ""));
            }
            commands.info("Cleaned up: revoked " + report.revoked() + " of " + state.revocations().size()
                    + ", deleted " + report.deleted() + " file(s), blanked " + state.variables().size()
                    + " variable(s).");
            return 0;
        } catch (ActionException | ExchangeException e) {
            commands.warning(e.getMessage());
            return 0;
        } catch (RuntimeException e) {
            // Cleanup problems are warnings: the credentials expire on their own, and the job's result stands.
            commands.warning("cleanup failed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()) + "; the credentials still expire at their expiry time");
            return 0;
        }
    }
}
