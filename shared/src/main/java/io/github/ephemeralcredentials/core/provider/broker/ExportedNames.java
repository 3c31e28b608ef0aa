package io.github.ephemeralcredentials.core.provider.broker;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The environment variables a credential from the service may be exported as. The service's profile names them, and
 * a host exports them for every later step of the job: a name that steers a shell, a loader, a runtime or the CI
 * runner itself ({@code PATH}, {@code LD_PRELOAD}, {@code JAVA_TOOL_OPTIONS}, {@code GITHUB_ENV}) would hand whoever
 * controls the service's answer the job's later steps, so such names are refused, whatever the service says.
 */
public final class ExportedNames {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** Names that change what a later process runs or how: shells, loaders, language runtimes, tools. */
    private static final Set<String> REFUSED = Set.of(
            "PATH", "HOME", "SHELL", "ENV", "BASH_ENV", "IFS", "PS4", "PROMPT_COMMAND", "CDPATH", "TMPDIR", "USER",
            "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_HOME", "CLASSPATH", "MAVEN_OPTS",
            "NODE_OPTIONS", "NODE_PATH", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PERL5OPT", "PERL5LIB",
            "RUBYOPT", "RUBYLIB", "SSH_ASKPASS", "CI");

    /**
     * Prefixes of the runner's own variables ({@code GITHUB_ENV}, {@code RUNNER_TEMP}, {@code ACTIONS_ID_TOKEN_*},
     * {@code INPUT_*}, {@code STATE_*}), the dynamic loaders' ({@code LD_*}, {@code DYLD_*}), git's
     * ({@code GIT_SSH_COMMAND}, {@code GIT_CONFIG_*}) and bash's exported functions.
     */
    private static final List<String> REFUSED_PREFIXES = List.of("GITHUB_", "RUNNER_", "ACTIONS_", "INPUT_", "STATE_",
            "LD_", "DYLD_", "GIT_", "BASH_FUNC_");

    /**
     * {@code GITHUB_TOKEN} is the one {@code GITHUB_} name allowed: the runner does not set it (a workflow maps
     * {@code secrets.GITHUB_TOKEN} itself), and gh, the GitHub App provider and many tools read a token from it.
     */
    private static final Set<String> ALLOWED = Set.of("GITHUB_TOKEN");

    private ExportedNames() {
    }

    /** Whether {@code name} may be exported (and so blanked at cleanup) by a provider whose profile chooses it. */
    public static boolean mayExport(String name) {
        return problem(name).isEmpty();
    }

    /** Why {@code name} may not be exported, or empty when it may. */
    static Optional<String> problem(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.of("is not an environment variable name ([A-Za-z_][A-Za-z0-9_]*, at most 128 characters)");
        }
        String upper = name.toUpperCase(Locale.ROOT);
        if (ALLOWED.contains(upper)) {
            return Optional.empty();
        }
        if (REFUSED.contains(upper) || REFUSED_PREFIXES.stream().anyMatch(upper::startsWith)) {
            return Optional.of("would change how the job's later steps run, not hand them a credential; it is never "
                    + "exported");
        }
        return Optional.empty();
    }
}
