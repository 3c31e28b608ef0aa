package io.github.ephemeralcredentials.core.policy;

import io.github.ephemeralcredentials.core.oidc.Claims;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who may get a profile: tokens from {@code issuer} whose claims pass every condition. A rule with
 * {@link Effect#DENY} refuses instead, and wins over any allow; a deny rule may name {@code "*"} for every profile.
 */
public record Rule(String name, Effect effect, String issuer, List<String> profiles, List<ClaimCondition> conditions,
                   SourcePosition position) {

    /** In {@link #profiles()} of a deny rule: the rule applies to every profile. */
    public static final String ALL_PROFILES = "*";

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(effect, "effect");
        Objects.requireNonNull(issuer, "issuer");
        profiles = List.copyOf(profiles);
        conditions = List.copyOf(conditions);
    }

    /** Whether the token passes every condition (the issuer included); stops at the first failure. */
    boolean matches(Claims claims, Instant now) {
        if (!issuer.equals(claims.issuer())) {
            return false;
        }
        for (ClaimCondition c : conditions) {
            if (!c.condition().holds(claims.values().get(c.claim()), now)) {
                return false;
            }
        }
        return true;
    }

    /** Every condition's outcome, for an explanation; does not stop at the first failure. */
    RuleOutcome explain(Claims claims, Instant now) {
        List<ConditionOutcome> outcomes = new ArrayList<>(conditions.size() + 1);
        String presentedIssuer = claims.issuer();
        boolean all = issuer.equals(presentedIssuer);
        outcomes.add(new ConditionOutcome("iss", "equals", expectedIssuer(),
                ClaimText.shown(claims.values().get("iss")), all, position));
        for (ClaimCondition c : conditions) {
            Object value = claims.values().get(c.claim());
            boolean holds = c.condition().holds(value, now);
            all &= holds;
            outcomes.add(new ConditionOutcome(c.claim(), c.condition().operator(), c.expected(),
                    ClaimText.shown(value), holds, c.position()));
        }
        return new RuleOutcome(name, effect, position, all, outcomes);
    }

    private String expectedIssuer() {
        return "equals " + ClaimText.quote(issuer);
    }

    boolean appliesTo(String profile) {
        return profiles.contains(profile) || (effect == Effect.DENY && profiles.contains(ALL_PROFILES));
    }
}
