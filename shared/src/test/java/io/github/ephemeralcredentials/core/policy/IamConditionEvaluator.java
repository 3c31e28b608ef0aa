package io.github.ephemeralcredentials.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A small evaluator of the IAM trust-policy subset the export emits, written from the IAM User Guide's
 * "IAM JSON policy elements: Condition operators" page: {@code StringEquals}, {@code StringNotEquals}, their
 * {@code IgnoreCase} forms, {@code StringLike}/{@code StringNotLike} ({@code *} any run of characters including
 * none, {@code ?} one character, {@code ${*}} {@code ${?}} {@code ${$}} literals), {@code Null}; several values for
 * a key are alternatives, several keys and operators must all hold, a negated operator holds for a missing key, a
 * matching Deny wins. Test-only: it is the referee for the export round-trip.
 */
final class IamConditionEvaluator {

    private IamConditionEvaluator() {
    }

    /** Whether a web-identity request from {@code provider} with these context keys may assume the role. */
    static boolean allows(JsonNode trustPolicy, String providerArnSuffix, Map<String, String> context) {
        boolean allowed = false;
        for (JsonNode statement : trustPolicy.get("Statement")) {
            if (!statement.get("Action").asText().equals("sts:AssumeRoleWithWebIdentity")
                    || !statement.get("Principal").get("Federated").asText().endsWith(":oidc-provider/" + providerArnSuffix)) {
                continue;
            }
            if (conditionsHold(statement.get("Condition"), context)) {
                if (statement.get("Effect").asText().equals("Deny")) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }

    private static boolean conditionsHold(JsonNode condition, Map<String, String> context) {
        if (condition == null) {
            return true;
        }
        for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                if (!holds(op.getKey(), context.get(key.getKey()), values(key.getValue()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static List<String> values(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> out.add(v.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }

    private static boolean holds(String operator, String value, List<String> policyValues) {
        switch (operator) {
            case "Null":
                return policyValues.get(0).equals("true") == (value == null);
            case "StringEquals":
                return value != null && policyValues.stream().anyMatch(p -> unescape(p).equals(value));
            case "StringEqualsIgnoreCase":
                return value != null && policyValues.stream().anyMatch(p -> unescape(p).equalsIgnoreCase(value));
            case "StringNotEquals":
                return value == null || policyValues.stream().noneMatch(p -> unescape(p).equals(value));
            case "StringNotEqualsIgnoreCase":
                return value == null || policyValues.stream().noneMatch(p -> unescape(p).equalsIgnoreCase(value));
            case "StringLike":
                return value != null && policyValues.stream().anyMatch(p -> like(p, value));
            case "StringNotLike":
                return value == null || policyValues.stream().noneMatch(p -> like(p, value));
            default:
                throw new AssertionError("the export emitted an operator this evaluator does not know: " + operator);
        }
    }

    private static String unescape(String p) {
        return p.replace("${$}", "$").replace("${*}", "*").replace("${?}", "?");
    }

    /** IAM StringLike, by dynamic programming over tokens (literal char, any-run, any-one). */
    static boolean like(String pattern, String value) {
        List<Character> kinds = new ArrayList<>(); // '*' any run, '?' one, 'c' literal
        List<Character> chars = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            if (pattern.startsWith("${*}", i) || pattern.startsWith("${?}", i) || pattern.startsWith("${$}", i)) {
                kinds.add('c');
                chars.add(pattern.charAt(i + 2));
                i += 3;
            } else if (pattern.charAt(i) == '*' || pattern.charAt(i) == '?') {
                kinds.add(pattern.charAt(i));
                chars.add(pattern.charAt(i));
            } else {
                kinds.add('c');
                chars.add(pattern.charAt(i));
            }
        }
        boolean[][] dp = new boolean[kinds.size() + 1][value.length() + 1];
        dp[0][0] = true;
        for (int i = 1; i <= kinds.size(); i++) {
            char kind = kinds.get(i - 1);
            for (int j = 0; j <= value.length(); j++) {
                if (kind == '*') {
                    dp[i][j] = dp[i - 1][j] || (j > 0 && dp[i][j - 1]);
                } else if (j > 0) {
                    dp[i][j] = dp[i - 1][j - 1] && (kind == '?' || chars.get(i - 1) == value.charAt(j - 1));
                }
            }
        }
        return dp[kinds.size()][value.length()];
    }
}
