package io.github.ephemeralcredentials.core.policy;

import io.github.ephemeralcredentials.core.oidc.Claims;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded, validated trust policy: named profiles, the rules granting or refusing them, and the tests the file
 * carries. Immutable and safe to share between threads. Deny by default; an explicit deny wins.
 *
 * <p>Hosts make one call:
 * {@code PolicyLoader.load(path, Providers.descriptors()).evaluate(claims, "deploy-prod")}, then hand
 * {@code decision.profile()} to the provider only when {@code decision.allowed()}.
 */
public final class Policy {

    private final String source;
    private final Map<String, Profile> profiles;
    private final List<Rule> rules;
    private final List<PolicyTest> tests;
    /** profile → issuer → rules to run, deny rules first: what makes evaluation independent of the policy's size. */
    private final Map<String, Map<String, Bucket>> index;
    /** profile → every rule naming it, in file order, for explanations of denials. */
    private final Map<String, List<Rule>> byProfile;

    private record Bucket(List<Rule> denies, List<Rule> allows) {
    }

    Policy(String source, Map<String, Profile> profiles, List<Rule> rules, List<PolicyTest> tests) {
        this.source = Objects.requireNonNull(source);
        this.profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
        this.rules = List.copyOf(rules);
        this.tests = List.copyOf(tests);
        Map<String, Map<String, Bucket>> idx = new HashMap<>();
        Map<String, List<Rule>> named = new HashMap<>();
        for (String profile : this.profiles.keySet()) {
            Map<String, List<Rule>> denies = new LinkedHashMap<>();
            Map<String, List<Rule>> allows = new LinkedHashMap<>();
            List<Rule> naming = new ArrayList<>();
            for (Rule rule : this.rules) {
                if (rule.appliesTo(profile)) {
                    naming.add(rule);
                    (rule.effect() == Effect.DENY ? denies : allows)
                            .computeIfAbsent(rule.issuer(), k -> new ArrayList<>()).add(rule);
                }
            }
            Map<String, Bucket> byIssuer = new HashMap<>();
            for (String issuer : union(denies.keySet(), allows.keySet())) {
                byIssuer.put(issuer, new Bucket(List.copyOf(denies.getOrDefault(issuer, List.of())),
                        List.copyOf(allows.getOrDefault(issuer, List.of()))));
            }
            idx.put(profile, byIssuer);
            named.put(profile, List.copyOf(naming));
        }
        this.index = idx;
        this.byProfile = named;
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        List<String> all = new ArrayList<>(a);
        b.stream().filter(s -> !a.contains(s)).forEach(all::add);
        return all;
    }

    /** The file (or name) this policy was loaded from, as used in positions. */
    public String source() {
        return source;
    }

    public Map<String, Profile> profiles() {
        return profiles;
    }

    public Optional<Profile> profile(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    public List<Rule> rules() {
        return rules;
    }

    public List<PolicyTest> tests() {
        return tests;
    }

    /** Decides at the current time. The claims must come from a token whose signature was verified. */
    public Decision evaluate(Claims claims, String requestedProfile) {
        return evaluate(claims, requestedProfile, Instant.now());
    }

    /** Decides at {@code now} (which {@code maxAge} conditions measure token age against). */
    public Decision evaluate(Claims claims, String requestedProfile, Instant now) {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(requestedProfile, "requestedProfile");
        Objects.requireNonNull(now, "now");
        String issuer = claims.issuer();
        String subject = claims.subject();
        Profile profile = profiles.get(requestedProfile);
        if (profile == null) {
            return new Decision(false, Decision.Reason.UNKNOWN_PROFILE, requestedProfile, Optional.empty(),
                    Optional.empty(), List.of(), issuer, subject, now);
        }
        Bucket bucket = issuer == null ? null : index.get(requestedProfile).get(issuer);
        if (bucket == null) {
            return new Decision(false, Decision.Reason.NO_RULE_FOR_ISSUER, requestedProfile, Optional.of(profile),
                    Optional.empty(), explainAll(requestedProfile, claims, now), issuer, subject, now);
        }
        for (Rule deny : bucket.denies()) {
            if (deny.matches(claims, now)) {
                RuleOutcome deciding = deny.explain(claims, now);
                return new Decision(false, Decision.Reason.DENIED_BY_RULE, requestedProfile, Optional.of(profile),
                        Optional.of(deciding), explainAll(requestedProfile, claims, now), issuer, subject, now);
            }
        }
        for (Rule allow : bucket.allows()) {
            if (allow.matches(claims, now)) {
                RuleOutcome deciding = allow.explain(claims, now);
                return new Decision(true, Decision.Reason.ALLOWED, requestedProfile, Optional.of(profile),
                        Optional.of(deciding), List.of(deciding), issuer, subject, now);
            }
        }
        Decision.Reason reason = bucket.allows().isEmpty()
                ? Decision.Reason.NO_RULE_FOR_ISSUER : Decision.Reason.NO_MATCHING_RULE;
        return new Decision(false, reason, requestedProfile, Optional.of(profile),
                Optional.empty(), explainAll(requestedProfile, claims, now), issuer, subject, now);
    }

    private List<RuleOutcome> explainAll(String profile, Claims claims, Instant now) {
        List<Rule> naming = byProfile.get(profile);
        List<RuleOutcome> outcomes = new ArrayList<>(naming.size());
        for (Rule rule : naming) {
            outcomes.add(rule.explain(claims, now));
        }
        return outcomes;
    }

    /** Every rule naming {@code profile} (deny rules for {@code "*"} included), in file order. */
    public List<Rule> rulesFor(String profile) {
        return byProfile.getOrDefault(profile, List.of());
    }

    /** Runs the {@code tests:} the file carries. */
    public PolicyTestReport runTests() {
        List<PolicyTestReport.Result> results = new ArrayList<>(tests.size());
        for (PolicyTest test : tests) {
            Decision decision = evaluate(test.claims(), test.profile(), test.evaluationInstant());
            Effect actual = decision.allowed() ? Effect.ALLOW : Effect.DENY;
            String failure = null;
            if (actual != test.expect()) {
                failure = "expected " + test.expect().word() + " but the policy says " + actual.word() + ": "
                        + decision.summary();
            } else if (test.expectRule().isPresent()
                    && !test.expectRule().equals(decision.decidingRule().map(RuleOutcome::rule))) {
                failure = "expected rule '" + test.expectRule().get() + "' to decide, but "
                        + decision.decidingRule().map(r -> "rule '" + r.rule() + "' did").orElse("no rule matched");
            }
            results.add(new PolicyTestReport.Result(test, decision, Optional.ofNullable(failure)));
        }
        return new PolicyTestReport(results);
    }

    /** What makes this policy dangerous, each finding naming the rule, the risk and the fix. */
    public List<LintFinding> lint() {
        return PolicyLinter.lint(this);
    }

    /**
     * The provider-side trust configuration for a profile's rules.
     *
     * @throws ExportException naming a condition the target cannot express (unless {@code lossy})
     */
    public ExportResult export(String profile, ExportFormat format, boolean lossy) {
        return PolicyExporter.export(this, profile, format, lossy);
    }
}
