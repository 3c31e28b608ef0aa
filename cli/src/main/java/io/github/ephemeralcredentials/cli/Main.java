package io.github.ephemeralcredentials.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ephemeral-credentials}: the root command. Subcommands are thin: each turns its arguments into one core call. */
@Command(name = "ephemeral-credentials",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Trade a CI job's OIDC token, under a trust policy, for scoped credentials that expire in minutes.",
        subcommands = {CommandLine.HelpCommand.class, PolicyCommand.class, ExchangeCommand.class, RevokeCommand.class, ServeCommand.class, ActionCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(containerStep(args).orElseGet(() -> run(args)));
    }

    /**
     * The container's own invocations ({@code action main [WORKSPACE_ON_RUNNER]}, {@code action post}, fixed by
     * action.yml) go straight to the step: they run once per job on a cold JVM, and building picocli's reflective
     * model of every command costs more than the rest of the start-up. Anything else, {@code action --help}
     * included, goes through picocli.
     */
    static java.util.Optional<Integer> containerStep(String[] args) {
        if (args.length >= 2 && args[0].equals("action")) {
            // The step fails with one ::error:: line; exit 1 is what a runner reads as a failed step.
            java.util.function.Consumer<String> error = line -> ActionCommand.commands().error(line);
            if (args[1].equals("main") && args.length <= 3 && (args.length == 2 || !args[2].startsWith("-"))) {
                return java.util.Optional.of(atTheEdge(
                        new ActionCommand.Main(args.length == 3 ? args[2] : null), error) == 0 ? 0 : 1);
            }
            if (args[1].equals("post") && args.length == 2) {
                return java.util.Optional.of(atTheEdge(new ActionCommand.Post(), error) == 0 ? 0 : 1);
            }
        }
        return java.util.Optional.empty();
    }

    /** Runs without exiting the JVM, for tests and embedding. */
    public static int run(String... args) {
        return atTheEdge(() -> new CommandLine(new Main()).execute(args),
                line -> System.err.println("ephemeral-credentials: " + line));
    }

    /**
     * Runs a command, turning what no command catches (the JVM out of stack or memory) into one error line and
     * {@link ExitCodes#FAILURE} instead of a stack trace. Inputs are bounded before they are parsed; this is the
     * last line for what was not.
     */
    static int atTheEdge(java.util.concurrent.Callable<Integer> command, java.util.function.Consumer<String> error) {
        try {
            return command.call();
        } catch (StackOverflowError e) {
            error.accept("the command ran out of stack (an input nested too deeply?) and stopped");
        } catch (OutOfMemoryError e) {
            error.accept("the command ran out of memory (an input too large?) and stopped");
        } catch (Exception e) {
            // Commands report their own failures; anything else is a defect, still one line.
            error.accept("the command failed: " + e);
        }
        return ExitCodes.FAILURE;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"ephemeral-credentials " + (version == null ? "(development build)" : version)};
        }
    }
}
