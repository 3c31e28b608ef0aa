package io.github.ephemeralcredentials.cli;

/** A command ends here with one message that says what to do, and the exit code its help lists. */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CommandFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    static CommandFailure badInput(String message) {
        return new CommandFailure(ExitCodes.BAD_INPUT, message);
    }

    int exitCode() {
        return exitCode;
    }
}
