package io.github.ephemeralcredentials.core.policy;

/**
 * How one condition fared against a token.
 *
 * @param expected  the condition as a phrase: {@code glob "repo:acme/*:**"}
 * @param presented the claim's value as JSON text, or {@code (missing)}; claim values are not secrets
 */
public record ConditionOutcome(String claim, String operator, String expected, String presented, boolean holds,
                               SourcePosition position) {
}
