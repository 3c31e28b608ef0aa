package io.github.ephemeralcredentials.core.provider.aws;

import io.github.ephemeralcredentials.core.oidc.Claims;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds {@code RoleSessionName} from the CI token's claims, so CloudTrail shows which job used the role:
 * {@code [prefix@]<repository or job or sub>[-<run id>[-<attempt>]]}, every character outside STS's
 * {@code [\w+=,.@-]} replaced by {@code -}, at most 64 characters (the identity part is shortened first so the
 * run id survives), at least 2.
 */
final class SessionName {

    static final int MAX = 64;
    static final Pattern VALID = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern INVALID_CHARS = Pattern.compile("[^\\w+=,.@-]");

    private SessionName() {
    }

    /** @param prefix e.g. the profile's owner; may be {@code null} */
    static String derive(Claims claims, String prefix) {
        String identity = first(claims, "repository", "job", "sub").orElse("ci");
        List<String> run = new ArrayList<>();
        first(claims, "run_id", "build_number").ifPresent(run::add);
        claims.string("run_attempt").ifPresent(run::add);

        String head = prefix == null || prefix.isBlank() ? "" : sanitise(prefix) + "@";
        String tail = run.isEmpty() ? "" : "-" + sanitise(String.join("-", run));
        if (head.length() > MAX / 2) {
            head = head.substring(0, MAX / 2 - 1) + "@";
        }
        if (tail.length() > MAX / 4) {
            tail = tail.substring(tail.length() - MAX / 4);
        }
        String body = sanitise(identity);
        int room = MAX - head.length() - tail.length();
        if (body.length() > room) {
            body = body.substring(0, room);
        }
        String name = head + body + tail;
        return name.length() < 2 ? name + "-ci" : name;
    }

    static String sanitise(String value) {
        return INVALID_CHARS.matcher(value).replaceAll("-");
    }

    private static Optional<String> first(Claims claims, String... names) {
        for (String name : names) {
            Optional<String> v = claims.string(name).filter(s -> !s.isBlank());
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }
}
