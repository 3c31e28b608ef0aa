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
}
