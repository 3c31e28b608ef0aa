package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.policy.DisplayText;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyException;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import io.github.ephemeralcredentials.core.policy.PolicyProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads a policy for a command, each profile checked against the providers this CLI ships, printing every problem
 * with its position when it cannot.
 */
final class PolicyFiles {

    private PolicyFiles() {
    }

    static Optional<Policy> load(Path file, PrintWriter err) {
        try {
            return Optional.of(PolicyLoader.load(file, Providers.descriptors()));
        } catch (PolicyException e) {
            for (PolicyProblem p : e.problems()) {
                err.println(p + " [" + p.code() + "]");
            }
            err.println(DisplayText.escape(file.toString()) + ": " + e.problems().size() + (e.problems().size() == 1 ? " error" : " errors"));
            err.flush();
            return Optional.empty();
        }
    }
}
