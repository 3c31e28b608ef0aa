package io.github.ephemeralcredentials.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "export")
final class PolicyExportCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return ExitCodes.USAGE;
    }
}
