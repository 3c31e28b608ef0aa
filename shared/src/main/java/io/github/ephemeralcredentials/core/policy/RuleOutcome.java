package io.github.ephemeralcredentials.core.policy;

import java.util.List;

/** How one rule fared against a token: matched when every condition held. */
public record RuleOutcome(String rule, Effect effect, SourcePosition position, boolean matched,
                          List<ConditionOutcome> conditions) {

    public RuleOutcome {
        conditions = List.copyOf(conditions);
    }
}
