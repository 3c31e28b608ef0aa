package io.github.ephemeralcredentials.core.policy;

import io.github.ephemeralcredentials.core.oidc.KnownIssuers;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Finds what makes a trust policy dangerous. Works by probing: it builds the claims a risky token would carry (a
 * pull request, a self-hosted runner, a repository nobody listed) and asks whether a rule could accept them.
 * Conditions on claims a probe does not set are assumed satisfiable, so findings err on the side of warning.
 */
final class PolicyLinter {

    private static final String PROBE_OWNER = "zz-lint-owner";
    private static final String PROBE_OWNER_ID = "999999991";
    private static final String PROBE_REPO = "zz-lint-repo";
    private static final String PROBE_REPO_ID = "999999992";
    private static final java.util.regex.Pattern GITHUB_SUB =
            java.util.regex.Pattern.compile("repo:([^/@:]+)(@[^/:]*)?/([^/@:]+)(@[^/:]*)?(?::(.*))?");
    private static final List<String> DEFAULT_SUFFIXES =
            List.of("ref:refs/heads/main", "environment:production", "pull_request");

    private enum IssuerKind { GITHUB, JENKINS, OTHER }

    private PolicyLinter() {
    }

    static List<LintFinding> lint(Policy policy) {
        List<LintFinding> findings = new ArrayList<>();
        for (Rule rule : policy.rules()) {
            if (rule.effect() != Effect.ALLOW) {
                continue;
            }
            insecureIssuer(rule, findings);
            noAudience(rule, findings);
            IssuerKind kind = kind(rule.issuer());
            if (kind == IssuerKind.GITHUB) {
                subjectBreadth(rule, findings);
            }
            for (String name : rule.profiles()) {
                Profile profile = policy.profiles().get(name);
                if (profile != null && profile.sensitive()) {
                    sensitive(policy, rule, profile, kind, findings);
                }
            }
        }
        return List.copyOf(findings);
    }

    private static IssuerKind kind(String issuer) {
        if (issuer.equals(KnownIssuers.GITHUB_ACTIONS)) {
            return IssuerKind.GITHUB;
        }
        String path = Optional.ofNullable(safeUri(issuer)).map(URI::getPath).orElse("");
        if (path.endsWith("/_services/token")) {
            return IssuerKind.GITHUB;
        }
        if (path.endsWith("/" + KnownIssuers.JENKINS_PATH)) {
            return IssuerKind.JENKINS;
        }
        return IssuerKind.OTHER;
    }

    private static URI safeUri(String s) {
        try {
            return new URI(s);
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static void insecureIssuer(Rule rule, List<LintFinding> out) {
        URI uri = safeUri(rule.issuer());
        if (uri != null && !"https".equalsIgnoreCase(uri.getScheme())) {
            out.add(new LintFinding(LintFinding.Code.INSECURE_ISSUER, rule.name(), rule.position(),
                    "issuer '" + rule.issuer() + "' is not https, so its signing keys can be swapped by anyone on "
                            + "the network path and any token it 'signs' is worthless",
                    "serve the issuer over https and write its https URL exactly as in the token's 'iss'"));
        }
    }

    private static void noAudience(Rule rule, List<LintFinding> out) {
        boolean bound = rule.conditions().stream().anyMatch(c -> c.claim().equals("aud"))
                && !couldMatch(rule, Map.of("aud", "zz-lint-any-audience"));
        if (!bound) {
            out.add(new LintFinding(LintFinding.Code.NO_AUDIENCE, rule.name(), rule.position(),
                    "the rule binds no audience, so a token the job obtained for any other service (which that "
                            + "service may log or leak) is accepted here too",
                    "add 'aud: <the audience your jobs request for this exchange>', e.g. aud: sts.amazonaws.com"));
        }
    }

    // ---- repository breadth (GitHub)

    private static void subjectBreadth(Rule rule, List<LintFinding> out) {
        List<String> suffixes = subSuffixes(rule);
        boolean immutableIds = witnesses(rule, "sub").stream().anyMatch(w -> w.contains("@") && w.startsWith("repo:"));
        Set<String> repoNames = new LinkedHashSet<>();
        repoNames.add(PROBE_REPO);
        for (String w : witnesses(rule, "sub")) {
            Matcher m = GITHUB_SUB.matcher(w);
            if (m.matches()) {
                repoNames.add(m.group(3));
            }
        }
        for (String w : witnesses(rule, "repository")) {
            repoNames.add(w.substring(w.indexOf('/') + 1));
        }
        for (String suffix : suffixes) {
            boolean anyOwner = false;
            for (String repo : repoNames) {
                anyOwner |= couldMatch(rule, repositoryProbe(PROBE_OWNER, PROBE_OWNER_ID, repo, suffix, immutableIds));
            }
            if (anyOwner) {
                out.add(new LintFinding(LintFinding.Code.ANY_OWNER_SUBJECT, rule.name(), rule.position(),
                        "no condition on sub, repository or repository_id pins an owner, so a workflow in ANY "
                                + "repository of ANY GitHub account can get this profile",
                        "add sub: repo:OWNER/REPO:... (or repository: OWNER/REPO) naming the repositories allowed"));
                return;
            }
        }
        for (String[] owner : owners(rule)) {
            for (String suffix : suffixes) {
                if (couldMatch(rule, repositoryProbe(owner[0], owner[1], PROBE_REPO, suffix, immutableIds))) {
                    out.add(new LintFinding(LintFinding.Code.OWNER_WIDE_SUBJECT, rule.name(), rule.position(),
                            "the repository conditions accept every repository of '" + owner[0] + "', including "
                                    + "ones created later and forks inside the organisation",
                            "name the repositories, e.g. sub: {oneOf: [\"repo:" + owner[0] + "/app:ref:refs/heads/main\"]}"
                                    + " or repository: " + owner[0] + "/app; if every repository may call a shared "
                                    + "workflow, also pin job_workflow_ref to a tag or commit"));
                    return;
                }
            }
        }
    }

    private static Map<String, Object> repositoryProbe(String owner, String ownerId, String repo, String suffix,
                                                       boolean ids) {
        Map<String, Object> probe = new LinkedHashMap<>();
        String path = ids ? owner + "@" + ownerId + "/" + repo + "@" + PROBE_REPO_ID : owner + "/" + repo;
        probe.put("sub", "repo:" + path + ":" + suffix);
        probe.put("repository", owner + "/" + repo);
        probe.put("repository_id", PROBE_REPO_ID);
        probe.put("repository_owner", owner);
        probe.put("repository_owner_id", ownerId);
        probe.put("workflow_ref", owner + "/" + repo + "/.github/workflows/deploy.yml@refs/heads/main");
        return probe;
    }

    /** The owners the rule's conditions mention, with an owner id where one is known. */
    private static List<String[]> owners(Rule rule) {
        Set<String> names = new LinkedHashSet<>();
        String ownerId = PROBE_OWNER_ID;
        for (String w : witnesses(rule, "sub")) {
            Matcher m = GITHUB_SUB.matcher(w);
            if (m.matches()) {
                names.add(m.group(1));
                if (m.group(2) != null && m.group(2).length() > 1) {
                    ownerId = m.group(2).substring(1);
                }
            }
        }
        for (String w : witnesses(rule, "repository")) {
            int slash = w.indexOf('/');
            if (slash > 0) {
                names.add(w.substring(0, slash));
            }
        }
        names.addAll(witnesses(rule, "repository_owner"));
        List<String> ids = witnesses(rule, "repository_owner_id");
        if (!ids.isEmpty()) {
            ownerId = ids.get(0);
        }
        List<String[]> out = new ArrayList<>();
        for (String name : names) {
            out.add(new String[] {name, ownerId});
        }
        if (out.isEmpty() && !ids.isEmpty()) {
            out.add(new String[] {"owner #" + ownerId, ownerId});
        }
        return out;
    }

    private static List<String> subSuffixes(Rule rule) {
        Set<String> suffixes = new LinkedHashSet<>();
        for (String w : witnesses(rule, "sub")) {
            Matcher m = GITHUB_SUB.matcher(w);
            if (m.matches() && m.group(5) != null) {
                suffixes.add(m.group(5));
            }
        }
        if (suffixes.isEmpty()) {
            suffixes.addAll(DEFAULT_SUFFIXES);
        }
        return List.copyOf(suffixes);
    }

    // ---- sensitive profiles

    private static void sensitive(Policy policy, Rule rule, Profile profile, IssuerKind kind, List<LintFinding> out) {
        String p = "sensitive profile '" + profile.name() + "'";
        if (kind == IssuerKind.GITHUB) {
            if (reachable(policy, rule, profile, pullRequestProbes(rule))) {
                out.add(new LintFinding(LintFinding.Code.SENSITIVE_FROM_PULL_REQUEST, rule.name(), rule.position(),
                        p + " can be obtained by a pull_request or pull_request_target workflow, which may run code "
                                + "from an unreviewed branch or fork",
                        "add event_name: {oneOf: [push, workflow_dispatch]} (or a deny rule for pull_request and "
                                + "pull_request_target), and ref: refs/heads/main"));
            }
            if (reachable(policy, rule, profile, List.of(Map.of("runner_environment", "self-hosted")))) {
                out.add(new LintFinding(LintFinding.Code.SENSITIVE_FROM_SELF_HOSTED, rule.name(), rule.position(),
                        p + " can be obtained on a self-hosted runner, whose machine may be shared with other "
                                + "repositories and keep state between jobs",
                        "add runner_environment: github-hosted"));
            }
            if (reachable(policy, rule, profile, List.of(Map.of("ref_protected", "false")))) {
                out.add(new LintFinding(LintFinding.Code.SENSITIVE_FROM_UNPROTECTED_REF, rule.name(), rule.position(),
                        p + " can be obtained from a branch or tag that is not protected, which anyone with write "
                                + "access can push to without review",
                        "add ref_protected: {equals: true} and protect the branch or tag in the repository settings"));
            }
        } else if (kind == IssuerKind.JENKINS) {
            if (reachable(policy, rule, profile, jenkinsPullRequestProbes(rule))) {
                out.add(new LintFinding(LintFinding.Code.SENSITIVE_FROM_PULL_REQUEST, rule.name(), rule.position(),
                        p + " can be obtained by a pull-request build (change_id set), which runs code from an "
                                + "unreviewed branch or fork",
                        "add change_id: {absent: true} and branch: main"));
            }
        }
    }

    private static List<Map<String, Object>> pullRequestProbes(Rule rule) {
        List<Map<String, Object>> probes = new ArrayList<>();
        Set<String> repoParts = new LinkedHashSet<>();
        for (String w : witnesses(rule, "sub")) {
            Matcher m = GITHUB_SUB.matcher(w);
            if (m.matches()) {
                repoParts.add(w.substring(0, m.end(4) >= 0 ? m.end(4) : m.end(3)));
            }
        }
        for (String event : List.of("pull_request", "pull_request_target")) {
            Map<String, Object> base = new LinkedHashMap<>();
            base.put("event_name", event);
            base.put("head_ref", "feature");
            base.put("base_ref", "main");
            if (event.equals("pull_request")) {
                base.put("ref", "refs/pull/1/merge");
                base.put("ref_protected", "false");
                for (String repo : repoParts) {
                    Map<String, Object> probe = new LinkedHashMap<>(base);
                    probe.put("sub", repo + ":pull_request");
                    probes.add(probe);
                    Map<String, Object> env = new LinkedHashMap<>(base);
                    witnesses(rule, "sub").stream().filter(w -> w.startsWith(repo + ":environment:")).findFirst()
                            .ifPresent(w -> {
                                env.put("sub", w);
                                probes.add(env);
                            });
                }
                if (repoParts.isEmpty()) {
                    probes.add(base);
                }
            } else {
                probes.add(base); // pull_request_target runs in the base branch's context: sub and ref look like a push
            }
        }
        return probes;
    }

    private static List<Map<String, Object>> jenkinsPullRequestProbes(Rule rule) {
        Map<String, Object> base = new LinkedHashMap<>();
        base.put("change_id", "1");
        base.put("change_target", "main");
        base.put("branch", "PR-1");
        List<Map<String, Object>> probes = new ArrayList<>();
        for (String w : witnesses(rule, "job_full_name")) {
            int slash = w.lastIndexOf('/');
            String project = slash >= 0 ? w.substring(0, slash) : w;
            Map<String, Object> probe = new LinkedHashMap<>(base);
            probe.put("job_full_name", project + "/PR-1");
            // As BuildFacts.subject() writes it for a multibranch build.
            probe.put("sub", "job:" + project + ":branch:PR-1");
            probes.add(probe);
        }
        if (probes.isEmpty()) {
            probes.add(base);
        }
        return probes;
    }

    /** Whether the allow rule could accept a probe that no deny rule for the profile certainly refuses. */
    private static boolean reachable(Policy policy, Rule allow, Profile profile, List<Map<String, Object>> probes) {
        for (Map<String, Object> probe : probes) {
            if (couldMatch(allow, probe) && !certainlyDenied(policy, allow.issuer(), profile, probe)) {
                return true;
            }
        }
        return false;
    }

    private static boolean certainlyDenied(Policy policy, String issuer, Profile profile, Map<String, Object> probe) {
        for (Rule deny : policy.rulesFor(profile.name())) {
            if (deny.effect() == Effect.DENY && deny.issuer().equals(issuer)
                    && deny.conditions().stream().allMatch(c -> probe.containsKey(c.claim())
                    && c.condition().holds(probe.get(c.claim()), Instant.EPOCH))) {
                return true;
            }
        }
        return false;
    }

    /** Conditions on claims the probe sets must hold; conditions on other claims are assumed satisfiable. */
    private static boolean couldMatch(Rule rule, Map<String, Object> probe) {
        for (ClaimCondition c : rule.conditions()) {
            if (probe.containsKey(c.claim()) && !c.condition().holds(probe.get(c.claim()), Instant.EPOCH)) {
                return false;
            }
        }
        return true;
    }

    /** Example values satisfying the rule's conditions on a claim, for building probes. */
    private static List<String> witnesses(Rule rule, String claim) {
        List<String> out = new ArrayList<>();
        for (ClaimCondition c : rule.conditions()) {
            if (!c.claim().equals(claim)) {
                continue;
            }
            Condition cond = c.condition();
            if (cond instanceof Condition.Equals e) {
                out.add(e.value());
            } else if (cond instanceof Condition.OneOf o) {
                out.addAll(o.values());
            } else if (cond instanceof Condition.Glob g) {
                out.add(g.pattern().replaceAll("\\*+", "x"));
            }
        }
        return out;
    }
}
