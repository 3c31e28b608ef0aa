package io.github.ephemeralcredentials.demo;

import io.github.ephemeralcredentials.action.ActionInputs;
import io.github.ephemeralcredentials.action.ActionRuntime;
import io.github.ephemeralcredentials.action.MainStep;
import io.github.ephemeralcredentials.action.PostStep;
import io.github.ephemeralcredentials.action.WorkflowCommands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GitHub Actions runner around the action's real entry points ({@link MainStep}, {@link PostStep}): the container's
 * mounts as temp dirs, empty file-command files per step, inputs as {@code INPUT_*} with action.yml's defaults, the
 * main step's saved state handed to the post step as {@code STATE_*}, and the step's stdout kept for
 * {@link RunnerLog} to show as the runner would.
 */
final class RunnerStandIn {

    /** What one step left behind: its exit code, its stdout, and the file commands the runner would apply. */
    record StepRun(int exit, String stdout, Map<String, String> env, Map<String, String> outputs,
                   Map<String, String> state, String summary) {
    }

    private final Path workspace;
    private final Path runnerTemp;
    private final Path home;
    private final Path fileCommands;
    private final Map<String, String> ciEnvironment;
    private int steps;

    RunnerStandIn(Path root, Map<String, String> ciEnvironment) throws IOException {
        this.workspace = Files.createDirectories(root.resolve("workspace"));
        this.runnerTemp = Files.createDirectories(root.resolve("runner_temp"));
        this.home = Files.createDirectories(root.resolve("home"));
        this.fileCommands = Files.createDirectories(root.resolve("file_commands"));
        this.ciEnvironment = Map.copyOf(ciEnvironment);
    }

    /** The audit trail the action appends to by default. */
    Path auditFile() {
        return runnerTemp.resolve("ephemeral-credentials-audit.jsonl");
    }

    StepRun main(Map<String, String> inputs, ActionRuntime runtime) throws IOException {
        Map<String, Path> files = newStep();
        Map<String, String> env = environment(inputs, files);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = new MainStep(env, commands(stdout), runtime).run();
        return finished(exit, stdout, files);
    }

    StepRun post(Map<String, String> inputs, StepRun main, ActionRuntime runtime) throws IOException {
        Map<String, Path> files = newStep();
        Map<String, String> env = environment(inputs, files);
        main.state().forEach((name, value) -> env.put("STATE_" + name, value));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = new PostStep(env, commands(stdout), runtime).run();
        return finished(exit, stdout, files);
    }

    private static WorkflowCommands commands(ByteArrayOutputStream stdout) {
        return new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    private StepRun finished(int exit, ByteArrayOutputStream stdout, Map<String, Path> files) throws IOException {
        return new StepRun(exit, stdout.toString(StandardCharsets.UTF_8), FileCommands.read(files.get("GITHUB_ENV")),
                FileCommands.read(files.get("GITHUB_OUTPUT")), FileCommands.read(files.get("GITHUB_STATE")),
                Files.readString(files.get("GITHUB_STEP_SUMMARY")));
    }

    /** The runner creates each step's file-command files empty, under fresh names. */
    private Map<String, Path> newStep() throws IOException {
        int step = ++steps;
        Map<String, Path> files = new LinkedHashMap<>();
        for (String variable : List.of("GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STATE", "GITHUB_STEP_SUMMARY")) {
            files.put(variable, Files.createFile(fileCommands.resolve(variable.toLowerCase() + "_" + step)));
        }
        return files;
    }

    private Map<String, String> environment(Map<String, String> inputs, Map<String, Path> files) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI", "true");
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_REPOSITORY", CiIssuers.REPOSITORY);
        env.put("GITHUB_REPOSITORY_OWNER", CiIssuers.OWNER);
        env.put("GITHUB_WORKSPACE", workspace.toString());
        env.put("HOME", home.toString());
        env.put("RUNNER_TEMP", runnerTemp.toString());
        env.put("RUNNER_OS", "Linux");
        files.forEach((name, path) -> env.put(name, path.toString()));
        env.putAll(ciEnvironment);
        // The runner sets every input that action.yml gives a default, whether the step names it or not.
        Map<String, String> all = new LinkedHashMap<>(Map.of("export-env", "true", "output-credentials", "false",
                "revoke", "true", "workspace-on-runner", workspace.toString()));
        all.putAll(inputs);
        all.forEach((name, value) -> env.put(ActionInputs.variable(name), value));
        return env;
    }
}
