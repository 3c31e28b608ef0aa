package io.jenkins.plugins.ephemeral_credentials.config;

import hudson.util.FormValidation;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.policy.LintFinding;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyException;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * The trust policy text of the global configuration, read by the shared policy engine, each profile checked against
 * the providers the plugin ships: saving and the form check report the same problems.
 */
final class TrustPolicy {

    /** The name positions are reported against: {@code trust policy:3:7: ...}. */
    static final String SOURCE = "trust policy";

    private TrustPolicy() {
    }

    /** @throws IllegalArgumentException listing every problem, one {@code trust policy:line:column: message} a line */
    static Policy parse(String text) {
        try {
            return PolicyLoader.parse(text, SOURCE, Providers.descriptors());
        } catch (PolicyException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Errors with their line and column; when there are none, the engine's lints as warnings. */
    static FormValidation check(String text) {
        Policy policy;
        try {
            policy = PolicyLoader.parse(text, SOURCE, Providers.descriptors());
        } catch (PolicyException e) {
            List<FormValidation> errors = new ArrayList<>();
            e.problems().forEach(p -> errors.add(FormValidation.error(p.toString())));
            return FormValidation.aggregate(errors);
        }
        List<LintFinding> findings = policy.lint();
        if (findings.isEmpty()) {
            return FormValidation.ok(Messages.EphemeralCredentialsConfiguration_ValidPolicy(
                    String.valueOf(policy.profiles().size()), String.valueOf(policy.rules().size())));
        }
        List<FormValidation> warnings = new ArrayList<>();
        findings.forEach(f -> warnings.add(FormValidation.warning(f.toString())));
        return FormValidation.aggregate(warnings);
    }
}
