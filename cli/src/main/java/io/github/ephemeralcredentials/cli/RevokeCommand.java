package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.exchange.CleanupRecord;
import io.github.ephemeralcredentials.core.exchange.CredentialLifecycle;
import io.github.ephemeralcredentials.core.exchange.CredentialLifecycle.CleanupReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code revoke --state FILE}: outside GitHub Actions, what the action's post step does — revoke what the provider
 * can revoke (OAuth tokens via RFC 7009, Vault tokens and leases, GitHub App tokens) and delete credential files, from
 * the state {@code exchange --state-file} wrote. The state file is deleted once everything in it is cleaned up, so a
 * failed cleanup can be retried with the same command.
 */
@Command(name = "revoke",
        description = {"Revoke the credentials `exchange --state-file FILE` handed out and delete their files.",
                "Run it when the job's work is done (e.g. GitLab after_script); AWS, GCP and Azure credentials "
                        + "cannot be revoked by their holder and simply expire."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  everything revocable was revoked; the state file is deleted",
                "  1  a revocation or deletion failed; the state file is kept for a retry",
                "  2  the command line is wrong", "  3  the state file cannot be read"},
        mixinStandardHelpOptions = true)
final class RevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--state", required = true, paramLabel = "FILE", description = "the file `exchange --state-file` wrote")
    Path state;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            CleanupRecord saved = RevocationState.read(state);
            CleanupReport report = new CredentialLifecycle(CoreRuntime.providers(System.getenv()), Clock.systemUTC())
                    .cleanup(saved);
            report.failures().forEach(f -> err.println("error: cleanup of " + f.what() + ": " + f.message()));
            err.println("revoked " + report.revoked() + " of " + saved.revocations().size() + ", deleted "
                    + report.deleted() + " file(s)" + (saved.revocations().isEmpty() ? " (" + saved.provider()
                    + " credentials cannot be revoked; they expire at " + saved.expiresAt() + ")" : ""));
            if (!report.failures().isEmpty()) {
                return ExitCodes.NO;
            }
            Files.deleteIfExists(state);
            return ExitCodes.OK;
        } catch (CommandFailure e) {
            err.println("error: " + e.getMessage());
            return e.exitCode();
        } catch (IOException e) {
            err.println("error: revoked, but the state file " + state + " could not be deleted ("
                    + e.getClass().getSimpleName() + "); delete it yourself");
            return ExitCodes.NO;
        }
    }
}
