package io.github.ephemeralcredentials.core.policy;

/** What a matching rule does. A matching {@code DENY} wins over any {@code ALLOW}. */
public enum Effect {
    ALLOW, DENY;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
