package io.github.ephemeralcredentials.core.audit.inventory;

import io.github.ephemeralcredentials.core.audit.anomaly.Thresholds;
import io.github.ephemeralcredentials.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to read the trails.
 *
 * @param policy         the policy whose profiles should exist, or {@code null}: adds owner, tags and sensitivity
 *                       from it and the profiles nobody used
 * @param unusedAfter    a policy profile with no issued credential for this long is unused; {@code null} for 90 days
 * @param now            the instant "unused" is measured from
 * @param deniedAtLeast  a subject denied this many times or more is listed as repeatedly denied
 * @param sensitiveTags  a profile carrying one of these tags (a tag key, or {@code key=value}) is sensitive, as is
 *                       a profile the policy marks {@code sensitive: true}
 * @param usualRefs      glob patterns ({@code *} any run of characters) of the refs a sensitive profile is expected
 *                       to be reached from; an issued credential from any other ref is listed
 * @param thresholds     the anomaly detector's thresholds
 */
public record InventoryOptions(Policy policy, Duration unusedAfter, Instant now, int deniedAtLeast,
                               Set<String> sensitiveTags, List<String> usualRefs, Thresholds thresholds) {

    public static final Duration DEFAULT_UNUSED_AFTER = Duration.ofDays(90);
    public static final int DEFAULT_DENIED_AT_LEAST = 3;
    public static final Set<String> DEFAULT_SENSITIVE_TAGS = Set.of("sensitive", "production", "env=production");
    public static final List<String> DEFAULT_USUAL_REFS = List.of("refs/heads/main", "refs/heads/master", "refs/tags/*");

    public InventoryOptions {
        unusedAfter = unusedAfter == null ? DEFAULT_UNUSED_AFTER : unusedAfter;
        now = now == null ? Instant.now() : now;
        sensitiveTags = Set.copyOf(sensitiveTags == null ? DEFAULT_SENSITIVE_TAGS : sensitiveTags);
        usualRefs = List.copyOf(usualRefs == null ? DEFAULT_USUAL_REFS : usualRefs);
        thresholds = Objects.requireNonNullElse(thresholds, Thresholds.DEFAULT);
        if (deniedAtLeast < 1) {
            throw new IllegalArgumentException("denied-at-least must be at least 1; got " + deniedAtLeast);
        }
    }

    public static InventoryOptions defaults() {
        return new InventoryOptions(null, null, null, DEFAULT_DENIED_AT_LEAST, null, null, null);
    }

    public InventoryOptions withPolicy(Policy value) {
        return new InventoryOptions(value, unusedAfter, now, deniedAtLeast, sensitiveTags, usualRefs, thresholds);
    }
}
