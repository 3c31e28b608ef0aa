package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.action.ActionRuntime;
import io.github.ephemeralcredentials.action.CredentialFiles;
import io.github.ephemeralcredentials.action.MainStep;
import io.github.ephemeralcredentials.action.PostStep;
import io.github.ephemeralcredentials.action.WorkflowCommands;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import okhttp3.OkHttpClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code action main} / {@code action post}: the GitHub Action's container entry points (action.yml). */
@Command(name = "action",
        description = "The GitHub Action's steps, run by its container: inputs come from INPUT_* variables, results go "
                + "to workflow commands and the runner's file commands.",
        subcommands = {ActionCommand.Main.class, ActionCommand.Post.class})
final class ActionCommand {

    /**
     * The container's own invocations ({@code action main [WORKSPACE_ON_RUNNER]}, {@code action post}, fixed by
     * action.yml) go straight to the step: they run once per job on a cold JVM, and building picocli's reflective
     * model of every command costs more than the rest of the start-up. Anything else, {@code action --help}
     * included, goes through picocli.
     */
    static java.util.Optional<Integer> containerStep(String[] args) {
        if (args.length >= 2 && args[0].equals("action")) {
            // The step fails with one ::error:: line; exit 1 is what a runner reads as a failed step.
            java.util.function.Consumer<String> error = line -> commands().error(line);
            if (args[1].equals("main") && args.length <= 3 && (args.length == 2 || !args[2].startsWith("-"))) {
                return java.util.Optional.of(CommandFailure.atTheEdge(
                        new Main(args.length == 3 ? args[2] : null), error) == 0 ? 0 : 1);
            }
            if (args[1].equals("post") && args.length == 2) {
                return java.util.Optional.of(CommandFailure.atTheEdge(new Post(), error) == 0 ? 0 : 1);
            }
        }
        return java.util.Optional.empty();
    }

    @Command(name = "main", description = "Request the job's OIDC token, exchange it, mask and export the credentials.")
    static final class Main implements Callable<Integer> {
        // action.yml passes github.workspace here: an argument is the one value the runner does not turn into a
        // container path, and files the later steps read must be exported under the runner's own path.
        @Parameters(arity = "0..1", paramLabel = "WORKSPACE_ON_RUNNER",
                description = "the workspace as the runner names it (github.workspace); default $GITHUB_WORKSPACE")
        String workspaceOnRunner;

        Main() {
        }

        Main(String workspaceOnRunner) {
            this.workspaceOnRunner = workspaceOnRunner;
        }

        @Override
        public Integer call() {
            Map<String, String> env = System.getenv();
            boolean tls = env.getOrDefault("ACTIONS_ID_TOKEN_REQUEST_URL", "").startsWith("https:");
            return new MainStep(env, commands(), BackgroundStart.start(
                    () -> runtime(env, CredentialFiles.forContainerStep(env, workspaceOnRunner)), tls)).run();
        }
    }

    @Command(name = "post", description = "Revoke, delete credential files and blank exported variables (runs at job end).")
    static final class Post implements Callable<Integer> {
        @Override
        public Integer call() {
            Map<String, String> env = System.getenv();
            return new PostStep(env, commands(), runtime(env)).run();
        }
    }

    /**
     * Workflow commands on the real stdout in UTF-8: a container has no locale, and the JVM's default charset there
     * would turn a non-ASCII secret into '?' in its {@code ::add-mask::} line, which would then mask nothing.
     */
    static WorkflowCommands commands() {
        return new WorkflowCommands(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8));
    }

    /** The providers for the CLI's own commands and the post step (which only deletes and revokes). */
    static ActionRuntime runtime(Map<String, String> env) {
        return runtime(env, CredentialFiles.forCommandLine(env));
    }

    static ActionRuntime runtime(Map<String, String> env, CredentialsFileHost files) {
        OkHttpClient http = HttpClients.create(HttpSettings.DEFAULT.withoutHttp2());
        return new ActionRuntime(http, Retries.DEFAULT, Providers.standard(http, Retries.DEFAULT, env::get, files,
                Clock.systemUTC()));
    }
}
