package io.github.ephemeralcredentials.core.policy;

import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A GCP workload identity pool OIDC provider (the REST resource's {@code oidc}, {@code attributeMapping} and
 * {@code attributeCondition} fields). CEL's {@code matches} is RE2, so globs and regexes carry over exactly; a
 * value test is guarded by {@code "claim" in assertion} so a missing claim is false, as in the engine.
 */
final class GcpProviderExport {

    private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private GcpProviderExport() {
    }

    static ExportResult export(ExportContext ctx) {
        Set<String> issuers = new LinkedHashSet<>();
        ctx.allows.forEach(r -> issuers.add(r.issuer()));
        if (issuers.size() > 1) {
            throw new ExportException(ExportException.Reason.NOT_EXPRESSIBLE, "the rules for profile '"
                    + ctx.profile.name() + "' trust " + issuers.size() + " issuers " + issuers + ", but a GCP "
                    + "provider has one issuer; create one provider per issuer (split the profile)");
        }
        String issuer = issuers.iterator().next();
        Set<String> claims = new LinkedHashSet<>();
        List<String> allowTerms = new ArrayList<>();
        for (Rule rule : ctx.allows) {
            allowTerms.add(ruleExpression(ctx, rule, claims, false));
        }
        List<String> denyTerms = new ArrayList<>();
        for (Rule rule : ctx.denies) {
            if (rule.issuer().equals(issuer)) {
                String term = ruleExpression(ctx, rule, claims, true);
                if (term != null) {
                    denyTerms.add("!(" + term + ")");
                }
            }
        }
        String allow = allowTerms.size() == 1 ? allowTerms.get(0)
                : allowTerms.stream().map(t -> "(" + t + ")").collect(Collectors.joining(" || "));
        String condition = denyTerms.isEmpty() ? allow
                : "(" + allow + ") && " + String.join(" && ", denyTerms);

        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("google.subject", "assertion.sub");
        for (String claim : claims) {
            String attribute = claim.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            if (!claim.equals("sub") && attribute.length() <= 50) {
                mapping.put("attribute." + attribute, access(claim));
            }
        }
        Map<String, Object> oidc = new LinkedHashMap<>();
        oidc.put("issuerUri", issuer);
        List<String> audiences = audiences(ctx);
        if (!audiences.isEmpty()) {
            oidc.put("allowedAudiences", audiences);
        } else {
            ctx.warnings.add("no rule binds 'aud' with equals/oneOf; GCP then accepts only the provider's own "
                    + "resource name (//iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/"
                    + "POOL/providers/PROVIDER) as audience");
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("oidc", oidc);
        doc.put("attributeMapping", mapping);
        doc.put("attributeCondition", condition);
        return ctx.result(doc);
    }

    /** The union of the audiences allow rules accept; each rule's own audience check also stays in the CEL. */
    private static List<String> audiences(ExportContext ctx) {
        Set<String> out = new LinkedHashSet<>();
        for (Rule rule : ctx.allows) {
            boolean bound = false;
            for (ClaimCondition c : rule.conditions()) {
                if (c.claim().equals("aud") && c.condition() instanceof Condition.Equals e && !e.ignoreCase()) {
                    out.add(e.value());
                    bound = true;
                } else if (c.claim().equals("aud") && c.condition() instanceof Condition.OneOf o && !o.ignoreCase()) {
                    out.addAll(o.values());
                    bound = true;
                }
            }
            if (!bound) {
                return List.of();
            }
        }
        return List.copyOf(out);
    }

    private static String ruleExpression(ExportContext ctx, Rule rule, Set<String> claims, boolean deny) {
        List<String> terms = new ArrayList<>();
        for (ClaimCondition c : rule.conditions()) {
            String cel = cel(c.claim(), c.condition());
            if (cel == null) {
                if (deny) {
                    ctx.cannot(rule, "condition " + c.claim() + " " + c.condition().expected()
                            + " cannot be written in CEL", "without this deny");
                    return null;
                }
                ctx.cannot(rule, c, "CEL attribute conditions cannot compare a claim with the current time",
                        "without this condition");
                continue;
            }
            claims.add(c.claim());
            terms.add(cel);
        }
        return terms.isEmpty() ? "true" : String.join(" && ", terms);
    }

    private static String cel(String claim, Condition c) {
        String present = quote(claim) + " in assertion";
        String value = access(claim);
        if (c instanceof Condition.Absent) {
            return "!(" + present + ")";
        }
        if (c instanceof Condition.Present) {
            return present;
        }
        if (c instanceof Condition.Not n) {
            String inner = cel(claim, n.inner());
            if (inner == null) {
                return null;
            }
            return n.inner().aboutPresence() ? "!(" + inner + ")" : "(" + present + " && !(" + inner + "))";
        }
        String test;
        if (c instanceof Condition.Equals e) {
            test = e.ignoreCase() ? value + ".matches(" + quote(regexFlags(true) + "^" + Pattern.quote(e.value()) + "$") + ")"
                    : value + " == " + quote(e.value());
        } else if (c instanceof Condition.OneOf o) {
            test = o.ignoreCase()
                    ? value + ".matches(" + quote(regexFlags(true) + "^(?:" + o.values().stream().map(Pattern::quote)
                    .collect(Collectors.joining("|")) + ")$") + ")"
                    : value + " in [" + o.values().stream().map(GcpProviderExport::quote)
                    .collect(Collectors.joining(", ")) + "]";
        } else if (c instanceof Condition.Glob g) {
            test = value + ".matches(" + quote("(?s" + (g.ignoreCase() ? "i" : "") + ")^(?:"
                    + GlobSyntax.toRegex(g.pattern()) + ")$") + ")";
        } else if (c instanceof Condition.Regex r) {
            test = value + ".matches(" + quote(regexFlags(r.ignoreCase()) + "^(?:" + r.pattern() + ")$") + ")";
        } else {
            return null;
        }
        return "(" + present + " && " + test + ")";
    }

    private static String regexFlags(boolean ignoreCase) {
        return ignoreCase ? "(?i)" : "";
    }

    private static String access(String claim) {
        return IDENTIFIER.matcher(claim).matches() ? "assertion." + claim : "assertion[" + quote(claim) + "]";
    }

    /** A CEL double-quoted string literal. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(ch);
            }
        }
        return out.append('"').toString();
    }
}
