package io.github.ephemeralcredentials.core.policy;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What may be issued: a provider, its parameters (role ARN, Vault role...) and scope (inline session policy, GitHub
 * permissions...), handed unchanged to the provider as plain maps of strings, numbers, booleans, lists and maps.
 *
 * @param maxLifetime the longest lifetime a credential of this profile may have
 * @param owner       the team that owns the profile; appears in decisions and the audit trail
 * @param tags        free-form labels; appear in decisions and the audit trail
 * @param sensitive   marks a profile (production, say) that lints hold to stricter rules
 */
public record Profile(String name, String provider, Map<String, Object> parameters, Map<String, Object> scope,
                      Duration maxLifetime, String owner, Map<String, String> tags, boolean sensitive,
                      SourcePosition position) {

    public Profile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(provider, "provider");
        parameters = PlainData.freeze(parameters);
        scope = PlainData.freeze(scope);
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        tags = Map.copyOf(tags);
    }

    /** For JSON renderings (decisions, audit). */
    Map<String, Object> summary() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("name", name);
        out.put("provider", provider);
        out.put("owner", owner);
        out.put("tags", new java.util.TreeMap<>(tags));
        out.put("sensitive", sensitive);
        out.put("maxLifetimeSeconds", maxLifetime.getSeconds());
        return out;
    }

}
