package io.github.ephemeralcredentials.cli;

/** Exit codes shared by the commands; each command's help lists the ones it uses. */
final class ExitCodes {

    /** Success: valid, allowed, all tests passed, exported. */
    static final int OK = 0;
    /** The answer is no: denied, a test failed, a lint finding under --strict, a condition the target cannot express. */
    static final int NO = 1;
    /** The command line is wrong (picocli's own code for usage errors). */
    static final int USAGE = 2;
    /** An input cannot be used: the policy file is invalid or unreadable, the claims or token are malformed. */
    static final int BAD_INPUT = 3;
    /** The command itself failed: it ran out of stack or memory (sysexits' EX_SOFTWARE). */
    static final int FAILURE = 70;

    /** The block appended to each command's help. */
    static final String FOOTER_HEADING = "%nExit codes:%n";

    private ExitCodes() {
    }
}
