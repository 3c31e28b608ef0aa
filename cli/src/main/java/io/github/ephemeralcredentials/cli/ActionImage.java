package io.github.ephemeralcredentials.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The entry point of the action's image jar, {@code ephemeral-credentials-action.jar}: the container's steps
 * ({@code action main}, {@code action post}), {@code --version} and {@code --help}. That jar holds only what this
 * class reaches (the cli pom's profile {@code action-image}: ProGuard, src/main/proguard/action-image.pro), so it must
 * never name {@link Main}, whose {@code serve} reaches the service's HTTP server, Redis client and metrics, nor the
 * other commands: library code a container step never runs, and a third of the image's pull. Every command is in
 * the full CLI, {@code ephemeral-credentials.jar}.
 */
@Command(name = "ephemeral-credentials",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"The GitHub Action's container: `action main` and `action post`, as action.yml runs them.",
                "The other commands (policy, exchange, revoke, serve) are in the full CLI, ephemeral-credentials.jar."},
        subcommands = {CommandLine.HelpCommand.class, ActionCommand.class})
public final class ActionImage implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(ActionCommand.containerStep(args).orElseGet(() -> run(args)));
    }

    /** Runs without exiting the JVM, for tests. */
    static int run(String... args) {
        return new CommandLine(new ActionImage()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
