package io.github.ephemeralcredentials.cli;

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

/** {@code policy lint FILE}. */
@Command(name = "lint",
        mixinStandardHelpOptions = true,
        description = {"Flag what makes a trust policy dangerous, naming the rule, the risk and the fix:",
                "repository conditions that match a whole owner or every owner; sensitive profiles reachable from "
                        + "pull requests, self-hosted runners or unprotected refs; rules that bind no audience; "
                        + "issuers that are not https."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  no findings, or findings without --strict",
                "  1  --strict was given and there are findings",
                "  2  usage error",
                "  3  the file is invalid or unreadable"})
final class PolicyLintCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The policy file (YAML or JSON).")
    Path file;

    @Option(names = "--strict", description = "Exit 1 when there is any finding (for CI).")
    boolean strict;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<Policy> loaded = PolicyFiles.load(file, spec.commandLine().getErr());
        if (loaded.isEmpty()) {
            return ExitCodes.BAD_INPUT;
        }
        List<LintFinding> findings = loaded.get().lint();
        for (LintFinding f : findings) {
            out.println(strict ? f.toString().replaceFirst(": warning ", ": error ") : f.toString());
        }
        out.println(findings.size() + (findings.size() == 1 ? " finding" : " findings"));
        out.flush();
        return strict && !findings.isEmpty() ? ExitCodes.NO : ExitCodes.OK;
    }
}
