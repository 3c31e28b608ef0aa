package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.policy.DisplayText;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyTestReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code policy test FILE}. */
@Command(name = "test",
        mixinStandardHelpOptions = true,
        description = {"Run the tests a policy file carries under 'tests:' (claims, profile, expected allow or deny) "
                + "and print 'N passed, M failed'.",
                "Put this in the CI of the repository holding your trust policy."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  every test passed",
                "  1  at least one test failed",
                "  2  usage error",
                "  3  the file is invalid or unreadable"})
final class PolicyTestCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The policy file (YAML or JSON).")
    Path file;

    @Option(names = {"-v", "--verbose"}, description = "Explain every decision, not only failures.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Policy> loaded = PolicyFiles.load(file, spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.BAD_INPUT;
        }
        PolicyTestReport report = loaded.get().runTests();
        for (PolicyTestReport.Result r : report.results()) {
            // Names and failures quote the policy file: escaped, so a test name cannot steer the terminal or the log.
            out.println(DisplayText.escape(r.passed() ? "PASS " + r.test().name()
                    : "FAIL " + r.test().name() + " (" + r.test().position() + "): " + r.failure().get()));
            if (verbose || !r.passed()) {
                r.decision().explain().lines().forEach(line -> out.println("    " + line));
            }
        }
        if (report.results().isEmpty()) {
            out.println(DisplayText.escape("no tests in " + file) + "; add a 'tests:' list (see docs/trust-policy.md)");
        }
        out.println(report.summary());
        out.flush();
        return report.failed() > 0 ? ExitCodes.NO : ExitCodes.OK;
    }
}
