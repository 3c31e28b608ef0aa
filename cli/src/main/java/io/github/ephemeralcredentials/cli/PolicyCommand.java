package io.github.ephemeralcredentials.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code policy}: tools for trust-policy files. */
@Command(name = "policy",
        mixinStandardHelpOptions = true,
        description = "Validate, explain, test, lint and export trust-policy files.",
        subcommands = {PolicyValidateCommand.class, PolicyExplainCommand.class, PolicyTestCommand.class,
                PolicyLintCommand.class, PolicyExportCommand.class})
final class PolicyCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
