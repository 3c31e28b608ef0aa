package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.policy.DisplayText;
import io.github.ephemeralcredentials.core.policy.LintFinding;
import io.github.ephemeralcredentials.core.policy.Policy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code policy validate FILE}. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check a policy file: every error is printed as FILE:LINE:COLUMN: message; "
                + "lint findings are printed as warnings.",
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  the file is valid (warnings may have been printed)",
                "  1  --strict was given and there are lint findings",
                "  2  usage error",
                "  3  the file is invalid or unreadable"})
final class PolicyValidateCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The policy file (YAML or JSON).")
    Path file;

    @Option(names = "--strict", description = "Treat lint findings as errors.")
    boolean strict;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<Policy> loaded = PolicyFiles.load(file, err);
        if (loaded.isEmpty()) {
            return ExitCodes.BAD_INPUT;
        }
        Policy policy = loaded.get();
        List<LintFinding> findings = policy.lint();
        for (LintFinding f : findings) {
            err.println(strict ? f.toString().replaceFirst(": warning ", ": error ") : f.toString());
        }
        err.flush();
        out.printf("%s: valid (%d profiles, %d rules, %d tests%s)%n", DisplayText.escape(file.toString()), policy.profiles().size(),
                policy.rules().size(), policy.tests().size(),
                findings.isEmpty() ? "" : ", " + findings.size() + (findings.size() == 1 ? " warning" : " warnings"));
        out.flush();
        return strict && !findings.isEmpty() ? ExitCodes.NO : ExitCodes.OK;
    }
}
