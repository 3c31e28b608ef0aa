package io.github.ephemeralcredentials.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to "may this token have that profile?", with its reasons. For a denial, {@link #rules()} holds every
 * rule that names the requested profile with the outcome of each condition, so an administrator sees which claim
 * failed against which pattern.
 *
 * @param profile      the requested profile when the policy defines it (also on a denial, for the audit trail);
 *                     hand it to a provider only when {@link #allowed()}
 * @param decidingRule the rule that allowed, or the deny rule that refused; empty when nothing matched
 * @param rules        the rules considered for the explanation
 * @param issuer       the token's {@code iss} as presented
 * @param subject      the token's {@code sub} as presented
 */
public record Decision(boolean allowed, Reason reason, String requestedProfile, Optional<Profile> profile,
                       Optional<RuleOutcome> decidingRule, List<RuleOutcome> rules, String issuer, String subject,
                       Instant evaluatedAt) {

    /** Stable, machine-readable outcome. */
    public enum Reason {
        ALLOWED,
        /** An explicit deny rule matched; it wins over any allow. */
        DENIED_BY_RULE,
        /** Rules name this profile for the token's issuer, but none matched (deny by default). */
        NO_MATCHING_RULE,
        /** No rule names this profile for the token's issuer (deny by default). */
        NO_RULE_FOR_ISSUER,
        /** The policy defines no profile of the requested name. */
        UNKNOWN_PROFILE
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public Decision {
        rules = List.copyOf(rules);
    }

    /**
     * A multi-line explanation for a log: the verdict, then each rule and each condition with its outcome. Every line
     * passes {@link DisplayText#escape}: rule names, claims and the requested profile come from the policy's author,
     * the token and the caller, and none of them may start a line, steer a terminal or reorder what is shown.
     */
    public String explain() {
        StringBuilder out = new StringBuilder();
        line(out, (allowed ? "ALLOWED" : "DENIED") + ": profile '" + requestedProfile + "' for sub "
                + ClaimText.shown(subject) + " from iss " + ClaimText.shown(issuer));
        profile.ifPresent(p -> line(out, "  profile: provider " + p.provider()
                + ", owner " + (p.owner() == null ? "(none)" : p.owner())
                + (p.tags().isEmpty() ? "" : ", tags " + new java.util.TreeMap<>(p.tags()))
                + (p.sensitive() ? ", sensitive" : "")
                + ", max lifetime " + Durations.format(p.maxLifetime())));
        line(out, "  reason: " + reason + " - " + summary());
        for (RuleOutcome rule : rules) {
            line(out, "  rule '" + rule.rule() + "' (" + rule.effect().word() + ") at " + rule.position() + ": "
                    + (rule.matched() ? "matched" : "did not match"));
            for (ConditionOutcome c : rule.conditions()) {
                line(out, "    [" + (c.holds() ? "ok" : "FAIL") + "] " + c.claim() + ' ' + c.expected()
                        + "; presented " + c.presented());
            }
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String text) {
        out.append(DisplayText.escape(text)).append('\n');
    }

    /** One sentence on why. */
    public String summary() {
        return switch (reason) {
            case ALLOWED -> "allowed by rule '" + decidingRule.map(RuleOutcome::rule).orElse("?") + "'";
            case DENIED_BY_RULE -> "refused by deny rule '" + decidingRule.map(RuleOutcome::rule).orElse("?")
                    + "' (an explicit deny wins over any allow)";
            case NO_MATCHING_RULE -> "no rule for this profile matched the token (deny by default); "
                    + "the FAIL lines below show which claims differ from what the rules expect";
            case NO_RULE_FOR_ISSUER -> "no rule for this profile trusts issuer " + ClaimText.shown(issuer)
                    + " (deny by default)";
            case UNKNOWN_PROFILE -> "the policy defines no profile '" + requestedProfile
                    + "'; check the profile name the job asked for";
        };
    }

    /** The decision as JSON, for machine consumers and the audit trail. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("decision cannot be rendered as JSON", e);
        }
    }

    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("allowed", allowed);
        out.put("reason", reason.name());
        out.put("summary", summary());
        out.put("profile", requestedProfile);
        profile.ifPresent(p -> out.put("profileDetails", p.summary()));
        out.put("issuer", issuer);
        out.put("subject", subject);
        out.put("evaluatedAt", evaluatedAt.toString());
        decidingRule.ifPresent(r -> out.put("decidingRule", r.rule()));
        List<Map<String, Object>> ruleList = new ArrayList<>();
        for (RuleOutcome rule : rules) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("rule", rule.rule());
            r.put("effect", rule.effect().word());
            r.put("position", rule.position().toString());
            r.put("matched", rule.matched());
            List<Map<String, Object>> conditions = new ArrayList<>();
            for (ConditionOutcome c : rule.conditions()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("claim", c.claim());
                m.put("operator", c.operator());
                m.put("expected", c.expected());
                m.put("presented", c.presented());
                m.put("holds", c.holds());
                m.put("position", c.position().toString());
                conditions.add(m);
            }
            r.put("conditions", conditions);
            ruleList.add(r);
        }
        out.put("rules", ruleList);
        return out;
    }
}
