package io.github.ephemeralcredentials.core.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Microsoft Entra federated identity credentials: exact, case-sensitive {@code issuer}, {@code subject} and one
 * audience each. One credential per rule and per combination of {@code sub} and {@code aud} values.
 */
final class AzureCredentialExport {

    static final String DEFAULT_AUDIENCE = "api://AzureADTokenExchange";

    private AzureCredentialExport() {
    }

    static ExportResult export(ExportContext ctx) {
        for (Rule deny : ctx.denies) {
            ctx.cannot(deny, "federated identity credentials have no deny conditions", "without it");
        }
        List<Map<String, Object>> credentials = new ArrayList<>();
        for (Rule rule : ctx.allows) {
            List<String> subjects = null;
            List<String> audiences = null;
            for (ClaimCondition c : rule.conditions()) {
                List<String> values = exactValues(c.condition());
                if (c.claim().equals("sub") && values != null && subjects == null) {
                    subjects = values;
                } else if (c.claim().equals("aud") && values != null && audiences == null) {
                    audiences = values;
                } else {
                    ctx.cannot(rule, c, "a federated identity credential matches only an exact issuer, subject "
                            + "and audience", "without this condition");
                }
            }
            if (subjects == null) {
                throw new ExportException(ExportException.Reason.NOT_EXPRESSIBLE, "rule '" + rule.name() + "' ("
                        + rule.position() + ") has no exact 'sub' (equals or oneOf), and an Azure federated "
                        + "identity credential needs one; bind sub exactly, e.g. sub: repo:acme/app:environment:prod");
            }
            if (audiences == null) {
                ctx.cannot(rule, "it binds no audience and Azure requires exactly one",
                        "with audience " + DEFAULT_AUDIENCE + ", which the jobs must then request");
                audiences = List.of(DEFAULT_AUDIENCE);
            }
            int n = 0;
            for (String subject : subjects) {
                for (String audience : audiences) {
                    n++;
                    Map<String, Object> fic = new LinkedHashMap<>();
                    String suffix = subjects.size() * audiences.size() > 1 ? "-" + n : "";
                    fic.put("name", name(rule.name(), suffix));
                    fic.put("issuer", rule.issuer());
                    fic.put("subject", subject);
                    fic.put("audiences", List.of(audience));
                    fic.put("description", "Exported from policy rule '" + rule.name() + "' for profile '"
                            + ctx.profile.name() + "'");
                    credentials.add(fic);
                }
            }
        }
        if (credentials.size() > 20) {
            ctx.warnings.add(credentials.size() + " credentials; an application accepts at most 20");
        }
        return ctx.result(credentials.size() == 1 ? credentials.get(0) : credentials);
    }

    private static List<String> exactValues(Condition c) {
        if (c instanceof Condition.Equals e && !e.ignoreCase()) {
            return List.of(e.value());
        }
        if (c instanceof Condition.OneOf o && !o.ignoreCase()) {
            return o.values();
        }
        if (c instanceof Condition.Glob g && !g.ignoreCase() && GlobSyntax.isLiteral(g.pattern())) {
            return List.of(g.pattern());
        }
        return null;
    }

    private static String name(String rule, String suffix) {
        String base = rule.replaceAll("[^A-Za-z0-9_-]", "-");
        int max = 120 - suffix.length();
        return (base.length() > max ? base.substring(0, max) : base) + suffix;
    }
}
