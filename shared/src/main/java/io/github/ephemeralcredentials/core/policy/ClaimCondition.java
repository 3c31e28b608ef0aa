package io.github.ephemeralcredentials.core.policy;

/** A condition on one named claim, with where it was written. */
public record ClaimCondition(String claim, Condition condition, SourcePosition position) {
}
