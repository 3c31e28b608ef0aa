package io.github.ephemeralcredentials.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code token}: commands about CI tokens themselves. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Debug a federation: check a CI token as the token-exchange service would.",
        subcommands = {CommandLine.HelpCommand.class, TokenVerifyCommand.class})
final class TokenCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
