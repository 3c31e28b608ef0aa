package io.github.ephemeralcredentials.core.audit.inventory;

import java.time.Instant;
import java.util.List;

/**
 * One profile as the trails (and the policy, when given) show it.
 *
 * @param firstUse  the first exchange asking for it, or {@code null} when the trails never mention it
 * @param lastUse   the last one, or {@code null}
 * @param lastIssued the last credential issued for it, or {@code null}
 * @param sensitive whether it counts as sensitive (see {@link InventoryOptions})
 * @param inPolicy  whether the given policy still defines it ({@code true} when no policy was given)
 */
public record ProfileUsage(String profile, String owner, List<String> tags, boolean sensitive, boolean inPolicy,
                           List<String> subjects, Instant firstUse, Instant lastUse, Instant lastIssued,
                           int issued, int denied, int failed, int revoked) {

    public ProfileUsage {
        tags = List.copyOf(tags);
        subjects = List.copyOf(subjects);
    }
}
