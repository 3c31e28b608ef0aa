package io.github.ephemeralcredentials.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ephemeral-credentials}: the root command. Subcommands are thin: each turns its arguments into one core call. */
@Command(name = "ephemeral-credentials",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Trade a CI job's OIDC token, under a trust policy, for scoped credentials that expire in minutes.",
        subcommands = {CommandLine.HelpCommand.class, PolicyCommand.class, ExchangeCommand.class, RevokeCommand.class, ServeCommand.class, DemoCommand.class, ActionCommand.class, InventoryCommand.class, TokenCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(ActionCommand.containerStep(args).orElseGet(() -> run(args)));
    }

    /** Runs without exiting the JVM, for tests and embedding. */
    public static int run(String... args) {
        return CommandFailure.atTheEdge(() -> new CommandLine(new Main()).execute(args),
                line -> System.err.println("ephemeral-credentials: " + line));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
