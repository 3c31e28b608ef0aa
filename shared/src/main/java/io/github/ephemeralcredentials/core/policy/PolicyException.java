package io.github.ephemeralcredentials.core.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy file that cannot be used. Carries every problem found (not only the first) so an administrator fixes
 * the file in one pass; {@link #getMessage()} lists them as {@code file:line:column: message} lines.
 */
public final class PolicyException extends RuntimeException {

    private final transient List<PolicyProblem> problems;

    public PolicyException(List<PolicyProblem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a PolicyException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public PolicyException(PolicyProblem problem) {
        this(List.of(problem));
    }

    public List<PolicyProblem> problems() {
        return problems;
    }

    /** The code of the first problem, for callers that branch on one reason. */
    public PolicyProblem.Code reason() {
        return problems.get(0).code();
    }

    private static String render(List<PolicyProblem> problems) {
        return problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n"));
    }
}
