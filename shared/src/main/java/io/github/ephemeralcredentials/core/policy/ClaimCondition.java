package io.github.ephemeralcredentials.core.policy;

/**
 * A condition on one named claim, with where it was written.
 *
 * @param expected the condition as a phrase for explanations, computed once because every denial shows it
 */
public record ClaimCondition(String claim, Condition condition, SourcePosition position, String expected) {

    public ClaimCondition(String claim, Condition condition, SourcePosition position) {
        this(claim, condition, position, condition.expected());
    }
}
