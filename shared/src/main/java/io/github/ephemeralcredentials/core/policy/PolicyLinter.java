package io.github.ephemeralcredentials.core.policy;

import java.util.List;

final class PolicyLinter {
    private PolicyLinter() {
    }

    static List<LintFinding> lint(Policy policy) {
        return List.of();
    }
}
