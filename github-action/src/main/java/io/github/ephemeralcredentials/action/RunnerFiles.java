package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.action.ActionException.Reason;
import java.nio.file.Path;
import java.util.Map;

/**
 * The step's file commands, from the variables the runner sets ({@code /github/file_commands/...} inside the
 * container).
 */
public record RunnerFiles(FileCommand env, FileCommand output, FileCommand state, StepSummary summary) {

    public static RunnerFiles from(Map<String, String> environment) {
        return new RunnerFiles(
                new FileCommand(FileCommand.Kind.ENV, path(environment, "GITHUB_ENV")),
                new FileCommand(FileCommand.Kind.OUTPUT, path(environment, "GITHUB_OUTPUT")),
                new FileCommand(FileCommand.Kind.STATE, path(environment, "GITHUB_STATE")),
                new StepSummary(path(environment, "GITHUB_STEP_SUMMARY")));
    }

    private static Path path(Map<String, String> environment, String variable) {
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new ActionException(Reason.NOT_IN_RUNNER, "$" + variable + " is not set: `action main` and "
                    + "`action post` are the GitHub Action's steps and run only on a GitHub Actions runner; "
                    + "elsewhere use `ephemeral-credentials exchange --provider ... --token-file ...`");
        }
        return Path.of(value);
    }
}
