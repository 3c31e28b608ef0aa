package io.github.ephemeralcredentials.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI's main class as the action's container does — {@code java ... Main action main} with the runner's
 * environment only ({@code INPUT_*}, {@code GITHUB_*}, {@code ACTIONS_ID_TOKEN_REQUEST_*}, {@code STATE_*}) — in a
 * child process on the built classpath, so environment variables, stdout and the exit code are real.
 */
final class Container {

    static final String IMAGE_JAR = "action.image.jar";

    record Result(int exitCode, String stdout, String stderr) {
    }

    private Container() {
    }

    static Result run(Map<String, String> env, Path workdir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m"));
        String imageJar = System.getProperty(IMAGE_JAR);
        if (imageJar != null && args.length > 0 && args[0].equals("action")) {
            command.addAll(List.of("-jar", imageJar));
        } else {
            command.addAll(List.of("-cp", classpath(), Main.class.getName()));
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workdir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        File out = File.createTempFile("container-stdout", ".txt");
        File err = File.createTempFile("container-stderr", ".txt");
        try {
            Process process = builder.redirectOutput(out).redirectError(err).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the container run did not end within 120 s");
            }
            return new Result(process.exitValue(),
                    java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            out.delete();
            err.delete();
        }
    }

    /** Surefire's real test classpath (java.class.path is only its booter jar). */
    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null ? cp : System.getProperty("java.class.path");
    }
}
