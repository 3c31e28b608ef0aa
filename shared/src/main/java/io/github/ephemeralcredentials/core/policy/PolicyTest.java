package io.github.ephemeralcredentials.core.policy;

import io.github.ephemeralcredentials.core.oidc.Claims;
import java.time.Instant;
import java.util.Optional;

/**
 * A test carried in the policy file: these claims, asking for this profile, must be allowed or denied.
 *
 * @param at         the evaluation instant; when empty, the claims' {@code iat} (a fresh token), else now
 * @param expectRule when present, the rule that must decide
 */
public record PolicyTest(String name, String profile, Claims claims, Optional<Instant> at, Effect expect,
                         Optional<String> expectRule, SourcePosition position) {

    Instant evaluationInstant() {
        return at.or(claims::issuedAt).orElseGet(Instant::now);
    }
}
