package io.github.ephemeralcredentials.core.policy;

import io.github.ephemeralcredentials.core.provider.vault.VaultDescriptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Vault JWT auth role. A role binds one set of claims (values of one claim are alternatives, claims are all
 * required), with {@code bound_claims_type} {@code string} or {@code glob} for the whole role, and Vault's glob
 * {@code *} crosses everything: only our {@code **} maps to it exactly.
 */
final class VaultRoleExport {

    private VaultRoleExport() {
    }

    static ExportResult export(ExportContext ctx) {
        for (Rule deny : ctx.denies) {
            ctx.cannot(deny, "a Vault role has no deny conditions", "without it");
        }
        Rule rule = ctx.allows.get(0);
        Map<String, Set<String>> bound = new LinkedHashMap<>();
        Set<String> audiences = new LinkedHashSet<>();
        boolean glob = bind(ctx, rule, bound, audiences);
        for (Rule other : ctx.allows.subList(1, ctx.allows.size())) {
            ctx.cannot(other, "a Vault role binds one set of claims and " + ctx.allows.size()
                    + " rules grant this profile (export one role per rule)", "merged into one role: claims bound "
                    + "by every rule accept any of their values, others are not checked");
            Map<String, Set<String>> more = new LinkedHashMap<>();
            Set<String> moreAud = new LinkedHashSet<>();
            glob |= bind(ctx, other, more, moreAud);
            bound.keySet().retainAll(more.keySet());
            bound.forEach((k, v) -> v.addAll(more.get(k)));
            if (audiences.isEmpty() || moreAud.isEmpty()) {
                audiences.clear();
            } else {
                audiences.addAll(moreAud);
            }
        }
        Map<String, Object> role = new LinkedHashMap<>();
        role.put("role_type", "jwt");
        role.put("user_claim", "sub");
        if (!audiences.isEmpty()) {
            role.put("bound_audiences", List.copyOf(audiences));
        } else {
            ctx.warnings.add("the role binds no audience; newer Vault versions refuse tokens that carry 'aud' when "
                    + "the role has no bound_audiences");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        bound.forEach((k, v) -> claims.put(k, v.size() == 1 ? v.iterator().next() : List.copyOf(v)));
        if (!claims.isEmpty()) {
            role.put("bound_claims_type", glob ? "glob" : "string");
            role.put("bound_claims", claims);
        }
        role.put("token_ttl", ctx.profile.maxLifetime().getSeconds());
        role.put("token_max_ttl", ctx.profile.maxLifetime().getSeconds());
        VaultDescriptor.policies(ctx.profile.parameters()).ifPresent(list -> role.put("token_policies", list));
        ctx.warnings.add("Vault checks the issuer in the auth method's config, not in the role: set bound_issuer "
                + "(or oidc_discovery_url) of the JWT auth mount to " + rule.issuer());
        return ctx.result(role);
    }

    /** Binds the rule's conditions; returns whether any value is a glob. */
    private static boolean bind(ExportContext ctx, Rule rule, Map<String, Set<String>> bound, Set<String> audiences) {
        boolean glob = false;
        boolean literalStar = false;
        Set<String> seen = new LinkedHashSet<>();
        for (ClaimCondition c : rule.conditions()) {
            Condition cond = c.condition();
            List<String> values = new ArrayList<>();
            boolean isGlob = false;
            if (cond instanceof Condition.Equals e && !e.ignoreCase()) {
                values.add(e.value());
            } else if (cond instanceof Condition.OneOf o && !o.ignoreCase()) {
                values.addAll(o.values());
            } else if (cond instanceof Condition.Glob g && !g.ignoreCase()
                    && (GlobSyntax.isLiteral(g.pattern()) || GlobSyntax.onlyDoubleStars(g.pattern()))) {
                isGlob = !GlobSyntax.isLiteral(g.pattern());
                values.add(g.pattern().replaceAll("\\*+", "*"));
            } else {
                ctx.cannot(rule, c, cond instanceof Condition.Glob
                        ? "Vault's glob * also matches '/' and ':' where this glob's * does not (write ** if meant)"
                        : "Vault roles bind claims to values or globs only", "without this condition");
                continue;
            }
            if (!seen.add(c.claim())) {
                ctx.cannot(rule, c, "Vault binds each claim once and this rule has two conditions on it",
                        "without this condition");
                continue;
            }
            if (c.claim().equals("aud") && !isGlob) {
                audiences.addAll(values);
                continue;
            }
            glob |= isGlob;
            literalStar |= !isGlob && values.stream().anyMatch(v -> v.contains("*"));
            bound.put(c.claim(), new LinkedHashSet<>(values));
        }
        if (glob && literalStar) {
            throw new ExportException(ExportException.Reason.NOT_EXPRESSIBLE, "rule '" + rule.name() + "' mixes "
                    + "globs with values containing a literal '*'; a Vault role's bound_claims_type applies to "
                    + "every claim, so the '*' would become a wildcard");
        }
        return glob;
    }
}
