package io.github.ephemeralcredentials.core.policy;

import io.github.ephemeralcredentials.core.provider.aws.AwsDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM role trust policy: one statement per rule on {@code sts:AssumeRoleWithWebIdentity}, with single-valued
 * string operators on {@code ISSUER_HOST_AND_PATH:claim} keys (never {@code ForAllValues}, which is true for a
 * missing key). IAM's {@code *} in {@code StringLike} also crosses {@code /} and {@code :}, so only our {@code **}
 * maps to it exactly; negated operators are true for a missing key in IAM, so they are paired with a {@code Null}
 * check to keep our "missing claim is false" rule. Only the claims IAM evaluates for the issuer are conditioned;
 * a condition on any other claim is refused (or dropped with {@code --lossy}), since IAM would test a key that is
 * never in its request context.
 */
final class AwsTrustPolicyExport {

    private static final Pattern ROLE_ARN = Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):role/.+");

    /**
     * The claims IAM puts into a trust policy's request context for any OIDC provider (IAM user guide, "Available
     * keys for AWS OIDC federation"). A condition on any other claim tests a key that is never there: an Allow
     * statement never matches, a Deny never applies.
     */
    private static final Set<String> EVALUATED = Set.of("aud", "sub", "amr");

    /**
     * GitHub Actions' claims that STS validates as well since January 2026 ("AWS STS supports validation of identity
     * provider claims"), for GitHub.com's issuer only.
     */
    private static final Set<String> EVALUATED_GITHUB = Set.of("aud", "sub", "amr", "actor", "actor_id",
            "job_workflow_ref", "repository", "repository_id", "workflow", "ref", "environment", "enterprise_id");

    private static final String GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

    private AwsTrustPolicyExport() {
    }

    static ExportResult export(ExportContext ctx) {
        String partition = "aws";
        String account = "ACCOUNT_ID";
        Matcher m = AwsDescriptor.roleArn(ctx.profile.parameters()).map(ROLE_ARN::matcher).orElse(null);
        if (m != null && m.matches()) {
            partition = m.group(1);
            account = m.group(2);
        } else {
            ctx.warnings.add("profile '" + ctx.profile.name() + "' has no '" + AwsDescriptor.ROLE_ARN + "' parameter of the form "
                    + "arn:aws:iam::ACCOUNT:role/NAME; replace ACCOUNT_ID in the principal");
        }
        List<Object> statements = new ArrayList<>();
        for (Rule rule : ctx.allows) {
            statements.add(statement(ctx, rule, "Allow", partition, account));
        }
        for (Rule rule : ctx.denies) {
            Map<String, Object> s = statement(ctx, rule, "Deny", partition, account);
            if (s != null) {
                statements.add(s);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", "2012-10-17");
        doc.put("Statement", statements);
        return ctx.result(doc);
    }

    /** The claims IAM evaluates in a trust policy for tokens of this issuer (package-private for tests). */
    static Set<String> evaluatedClaims(String issuer) {
        return issuer.replaceFirst("/$", "").equals(GITHUB_ISSUER) ? EVALUATED_GITHUB : EVALUATED;
    }

    static String providerPath(String issuer) {
        String p = issuer.replaceFirst("^https?://", "");
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static Map<String, Object> statement(ExportContext ctx, Rule rule, String effect, String partition,
                                                 String account) {
        String prefix = providerPath(rule.issuer()) + ":";
        Map<String, Map<String, Object>> condition = new LinkedHashMap<>();
        boolean deny = effect.equals("Deny");
        Set<String> evaluated = evaluatedClaims(rule.issuer());
        for (ClaimCondition c : rule.conditions()) {
            String key = prefix + c.claim();
            if (!evaluated.contains(c.claim())) {
                String problem = "IAM does not evaluate the claim '" + c.claim() + "' for " + providerPath(rule.issuer())
                        + " (only " + String.join(", ", new TreeSet<>(evaluated)) + ")"
                        + (evaluated == EVALUATED_GITHUB ? "; GitHub can carry it in a customized sub claim" : "");
                if (deny) {
                    ctx.cannot(rule, "condition " + c.claim() + " " + c.condition().expected() + ": " + problem,
                            "without this deny statement");
                    return null;
                }
                ctx.cannot(rule, c, problem, "without this condition");
                continue;
            }
            if (!deny && c.condition() instanceof Condition.Glob g && !g.ignoreCase()
                    && !GlobSyntax.onlyDoubleStars(g.pattern())) {
                // IAM's * is the closest broader form of ours: it also crosses '/' and ':'.
                ctx.cannot(rule, c, "IAM's * also matches '/' and ':' where this glob's * does not (write ** if that "
                        + "is meant)", "as StringLike \"" + like(g.pattern()) + "\", which also matches across '/' and ':'");
                String problem = put(condition, "StringLike", key, like(g.pattern()));
                if (problem != null) {
                    ctx.cannot(rule, c, problem, "without this condition");
                }
                continue;
            }
            String problem = add(condition, key, c.condition());
            if (problem != null) {
                if (deny) {
                    // Dropping a condition from a deny would refuse more than the policy does; drop the deny instead.
                    ctx.cannot(rule, "condition " + c.claim() + " " + c.condition().expected() + ": " + problem,
                            "without this deny statement");
                    return null;
                }
                ctx.cannot(rule, c, problem, "without this condition");
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("Sid", sid(rule.name()));
        s.put("Effect", effect);
        s.put("Principal", Map.of("Federated", "arn:" + partition + ":iam::" + account + ":oidc-provider/"
                + providerPath(rule.issuer())));
        s.put("Action", "sts:AssumeRoleWithWebIdentity");
        if (!condition.isEmpty()) {
            s.put("Condition", condition);
        }
        return s;
    }

    /** Adds the IAM form of a condition; returns why it cannot be expressed, or null. */
    private static String add(Map<String, Map<String, Object>> block, String key, Condition c) {
        if (c instanceof Condition.Equals e) {
            return put(block, e.ignoreCase() ? "StringEqualsIgnoreCase" : "StringEquals", key, literal(e.value()));
        }
        if (c instanceof Condition.OneOf o) {
            return put(block, o.ignoreCase() ? "StringEqualsIgnoreCase" : "StringEquals", key,
                    o.values().stream().map(AwsTrustPolicyExport::literal).toList());
        }
        if (c instanceof Condition.Glob g) {
            if (g.ignoreCase()) {
                return "IAM has no case-insensitive StringLike";
            }
            if (GlobSyntax.isLiteral(g.pattern())) {
                return put(block, "StringEquals", key, literal(g.pattern()));
            }
            if (!GlobSyntax.onlyDoubleStars(g.pattern())) {
                return "IAM's * also matches '/' and ':' where this glob's * does not (write ** if that is meant)";
            }
            return put(block, "StringLike", key, like(g.pattern()));
        }
        if (c instanceof Condition.Absent) {
            return put(block, "Null", key, "true");
        }
        if (c instanceof Condition.Present) {
            return put(block, "Null", key, "false");
        }
        if (c instanceof Condition.Not n) {
            Condition inner = n.inner();
            if (inner instanceof Condition.Absent) {
                return put(block, "Null", key, "false");
            }
            if (inner instanceof Condition.Present) {
                return put(block, "Null", key, "true");
            }
            String op;
            Object value;
            if (inner instanceof Condition.Equals e) {
                op = e.ignoreCase() ? "StringNotEqualsIgnoreCase" : "StringNotEquals";
                value = literal(e.value());
            } else if (inner instanceof Condition.OneOf o) {
                op = o.ignoreCase() ? "StringNotEqualsIgnoreCase" : "StringNotEquals";
                value = o.values().stream().map(AwsTrustPolicyExport::literal).toList();
            } else if (inner instanceof Condition.Glob g && !g.ignoreCase() && GlobSyntax.onlyDoubleStars(g.pattern())) {
                op = GlobSyntax.isLiteral(g.pattern()) ? "StringNotEquals" : "StringNotLike";
                value = GlobSyntax.isLiteral(g.pattern()) ? literal(g.pattern()) : like(g.pattern());
            } else {
                return "IAM cannot negate " + inner.expected();
            }
            String problem = put(block, op, key, value);
            return problem != null ? problem : put(block, "Null", key, "false");
        }
        if (c instanceof Condition.Regex) {
            return "IAM has no regular expressions";
        }
        if (c instanceof Condition.MaxAge) {
            return "IAM cannot compare a claim with the current time";
        }
        return "IAM has no equivalent";
    }

    private static String put(Map<String, Map<String, Object>> block, String op, String key, Object value) {
        Map<String, Object> byKey = block.computeIfAbsent(op, k -> new LinkedHashMap<>());
        Object existing = byKey.get(key);
        if (existing != null && !existing.equals(value)) {
            return "IAM allows one " + op + " entry per key and this rule has two conditions of that kind on the claim";
        }
        byKey.put(key, value);
        return null;
    }

    /** IAM interprets "${" as a policy variable in condition values; ${$} is its escape for '$'. */
    private static String literal(String value) {
        return value.replace("${", "${$}{");
    }

    /** Our {@code **} is IAM's {@code *}; literal IAM wildcards are escaped as ${*} and ${?}. */
    private static String like(String glob) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char ch = glob.charAt(i);
            if (ch == '*') {
                while (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    i++;
                }
                out.append('*');
            } else if (ch == '?') {
                out.append("${?}");
            } else if (ch == '$' && i + 1 < glob.length() && glob.charAt(i + 1) == '{') {
                out.append("${$}");
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static String sid(String name) {
        String sid = name.replaceAll("[^A-Za-z0-9]", "");
        return sid.isEmpty() ? "Rule" : sid;
    }
}
