package io.github.ephemeralcredentials.core.policy;

import com.google.re2j.PatternSyntaxException;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.Suggestions;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns a composed YAML node tree into a {@link Policy}, collecting every problem with its position instead of
 * stopping at the first. Unknown keys are errors. One instance reads one file.
 */
final class PolicyReader {

    static final int MAX_DEPTH = 64;
    static final int MAX_NODES = 200_000;
    /** One value a condition compares with: longer than any claim a token within the verifier's size limit holds. */
    static final int MAX_VALUE_CHARS = 8192;

    private static final Set<String> TOP_KEYS = Set.of("version", "profiles", "rules", "tests");
    private static final Set<String> PROFILE_KEYS =
            Set.of("provider", "parameters", "scope", "maxLifetime", "owner", "tags", "sensitive", "description");
    private static final Set<String> RULE_KEYS =
            Set.of("name", "effect", "issuer", "profiles", "claims", "description");
    private static final Set<String> TEST_KEYS = Set.of("name", "profile", "claims", "expect", "rule", "at");
    private static final Set<String> OPERATORS =
            Set.of("equals", "oneOf", "glob", "regex", "absent", "present", "not", "maxAge");
    private static final Set<String> CONDITION_KEYS;

    static {
        java.util.HashSet<String> keys = new java.util.HashSet<>(OPERATORS);
        keys.add("ignoreCase");
        CONDITION_KEYS = Set.copyOf(keys);
    }

    private final String source;
    private final ProfileCheck profileCheck;
    private final List<PolicyProblem> problems = new ArrayList<>();
    private int nodes;

    /**
     * @param descriptors the providers profiles may name, checked at load time; {@code null} to read the structure
     *                    only (tools that inspect a file meant for another installation)
     */
    PolicyReader(String source, Map<String, ProviderDescriptor> descriptors) {
        this.source = source;
        this.profileCheck = descriptors == null ? null : new ProfileCheck(descriptors, this::position);
    }

    Policy read(Node root) {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        List<Rule> rules = new ArrayList<>();
        List<PolicyTest> tests = new ArrayList<>();
        MappingNode top = mapping(root, "the policy file (a mapping with 'version', 'profiles', 'rules' and 'tests')");
        if (top != null) {
            Map<String, NodeTuple> entries = entries(top, TOP_KEYS, "the policy file", false);
            NodeTuple version = entries.get("version");
            if (version == null) {
                problem(PolicyProblem.Code.MISSING_KEY, root,
                        "missing 'version'; add 'version: 1' as the first line");
            } else {
                String v = scalarText(version.getValueNode(), "'version'");
                if (v != null && !v.equals("1")) {
                    problem(PolicyProblem.Code.INVALID_VALUE, version.getValueNode(),
                            "unsupported version '" + v + "'; this release reads 'version: 1'");
                }
            }
            NodeTuple profilesNode = entries.get("profiles");
            if (profilesNode == null) {
                problem(PolicyProblem.Code.MISSING_KEY, root,
                        "missing 'profiles'; a policy names at least one profile (what may be issued)");
            } else {
                readProfiles(profilesNode.getValueNode(), profiles);
            }
            NodeTuple rulesNode = entries.get("rules");
            if (rulesNode == null) {
                problem(PolicyProblem.Code.MISSING_KEY, root,
                        "missing 'rules'; without rules every request is denied");
            } else {
                readRules(rulesNode.getValueNode(), profiles, rules);
            }
            NodeTuple testsNode = entries.get("tests");
            if (testsNode != null) {
                readTests(testsNode.getValueNode(), profiles, tests);
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new Policy(source, profiles, rules, tests);
    }

    // ---- profiles

    private void readProfiles(Node node, Map<String, Profile> profiles) {
        MappingNode map = mapping(node, "'profiles' (a mapping from profile name to profile)");
        if (map == null) {
            return;
        }
        if (map.getValue().isEmpty()) {
            problem(PolicyProblem.Code.MISSING_KEY, node, "'profiles' is empty; define at least one profile");
        }
        Map<String, Node> firstSeen = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String name = keyText(t.getKeyNode());
            if (name == null) {
                continue;
            }
            if (firstSeen.containsKey(name)) {
                problem(PolicyProblem.Code.DUPLICATE_KEY, t.getKeyNode(), "duplicate profile '" + name
                        + "' (first defined at " + position(firstSeen.get(name)) + "); rename or merge one of them");
                continue;
            }
            firstSeen.put(name, t.getKeyNode());
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                problem(PolicyProblem.Code.INVALID_VALUE, t.getKeyNode(), "profile name '" + name
                        + "' must start with a letter or digit and hold only letters, digits, '.', '_' and '-'");
            }
            Profile p = readProfile(name, t.getKeyNode(), t.getValueNode());
            if (p != null) {
                profiles.put(name, p);
            }
        }
    }

    private Profile readProfile(String name, Node keyNode, Node node) {
        String what = "profile '" + name + "'";
        MappingNode map = mapping(node, what + " (a mapping with 'provider', 'maxLifetime', ...)");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> e = entries(map, PROFILE_KEYS, what, false);
        String provider = requiredString(e, "provider", node, what, "the provider id such as 'aws', 'gcp', 'vault'");
        Map<String, Object> parameters = e.containsKey("parameters")
                ? plainMap(e.get("parameters").getValueNode(), what + " 'parameters'") : Map.of();
        Map<String, Object> scope = e.containsKey("scope")
                ? plainMap(e.get("scope").getValueNode(), what + " 'scope'") : Map.of();
        Duration maxLifetime = null;
        String lifetime = requiredString(e, "maxLifetime", node, what, "the longest credential lifetime, e.g. 15m");
        if (lifetime != null) {
            Optional<Duration> d = Durations.parse(lifetime);
            if (d.isEmpty() || d.get().isZero() || d.get().isNegative()) {
                problem(PolicyProblem.Code.INVALID_VALUE, e.get("maxLifetime").getValueNode(), "maxLifetime '"
                        + lifetime + "' is not a positive duration; write e.g. 15m, 1h, 1h30m, 900s or PT15M");
            } else {
                maxLifetime = d.get();
            }
        }
        String owner = e.containsKey("owner") ? scalarText(e.get("owner").getValueNode(), what + " 'owner'") : null;
        Map<String, String> tags = new LinkedHashMap<>();
        if (e.containsKey("tags")) {
            MappingNode tagMap = mapping(e.get("tags").getValueNode(), what + " 'tags' (a mapping of names to values)");
            if (tagMap != null) {
                for (Map.Entry<String, NodeTuple> tag : entries(tagMap, null, what + " 'tags'", false).entrySet()) {
                    String v = scalarText(tag.getValue().getValueNode(), "tag '" + tag.getKey() + "'");
                    if (v != null) {
                        tags.put(tag.getKey(), v);
                    }
                }
            }
        }
        boolean sensitive = e.containsKey("sensitive") && bool(e.get("sensitive").getValueNode(), what + " 'sensitive'");
        if (e.containsKey("description")) {
            scalarText(e.get("description").getValueNode(), what + " 'description'");
        }
        if (profileCheck != null) {
            problems.addAll(profileCheck.check(name, e, node, provider, parameters, scope, maxLifetime));
        }
        if (provider == null || maxLifetime == null || parameters == null || scope == null) {
            return null;
        }
        return new Profile(name, provider, parameters, scope, maxLifetime, owner, tags, sensitive, position(keyNode));
    }

    // ---- rules

    private void readRules(Node node, Map<String, Profile> profiles, List<Rule> rules) {
        SequenceNode seq = sequence(node, "'rules' (a list of rules)");
        if (seq == null) {
            return;
        }
        Map<String, Node> names = new LinkedHashMap<>();
        int index = 0;
        for (Node item : seq.getValue()) {
            index++;
            Rule r = readRule(item, index, profiles);
            if (r != null) {
                if (names.containsKey(r.name())) {
                    problem(PolicyProblem.Code.DUPLICATE_KEY, item, "duplicate rule name '" + r.name()
                            + "' (first used at " + position(names.get(r.name()))
                            + "); rule names appear in decisions, so each must be unique");
                } else {
                    names.put(r.name(), item);
                    rules.add(r);
                }
            }
        }
    }

    private Rule readRule(Node node, int index, Map<String, Profile> profiles) {
        String what = "rule #" + index;
        MappingNode map = mapping(node, what + " (a mapping with 'name', 'issuer', 'profiles', 'claims')");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> e = entries(map, RULE_KEYS, what, false);
        String name = requiredString(e, "name", node, what, "a unique name shown in decisions");
        if (name != null) {
            what = "rule '" + name + "'";
        }
        Effect effect = Effect.ALLOW;
        if (e.containsKey("effect")) {
            String word = scalarText(e.get("effect").getValueNode(), what + " 'effect'");
            if ("deny".equals(word)) {
                effect = Effect.DENY;
            } else if (word != null && !"allow".equals(word)) {
                problem(PolicyProblem.Code.INVALID_VALUE, e.get("effect").getValueNode(),
                        what + ": effect must be 'allow' or 'deny', not '" + word + "'");
            }
        }
        String issuer = requiredString(e, "issuer", node, what,
                "the token issuer URL, e.g. https://token.actions.githubusercontent.com");
        if (issuer != null) {
            checkIssuer(issuer, e.get("issuer").getValueNode(), what);
        }
        List<String> named = new ArrayList<>();
        NodeTuple profilesNode = e.get("profiles");
        if (profilesNode == null) {
            problem(PolicyProblem.Code.MISSING_KEY, node, what + ": missing 'profiles' (the profiles it grants)");
        } else {
            SequenceNode list = sequence(profilesNode.getValueNode(), what + " 'profiles' (a list of profile names)");
            if (list != null) {
                if (list.getValue().isEmpty()) {
                    problem(PolicyProblem.Code.INVALID_VALUE, list, what + ": 'profiles' is empty");
                }
                for (Node p : list.getValue()) {
                    String profile = scalarText(p, what + " profile name");
                    if (profile == null) {
                        continue;
                    }
                    if (Rule.ALL_PROFILES.equals(profile)) {
                        if (effect != Effect.DENY) {
                            problem(PolicyProblem.Code.INVALID_VALUE, p, what + ": '*' (every profile) is allowed "
                                    + "only in deny rules; list the profiles this rule grants");
                        }
                    } else if (!profiles.containsKey(profile)) {
                        problem(PolicyProblem.Code.UNKNOWN_PROFILE, p, what + " names unknown profile '" + profile
                                + "'" + Suggestions.hint(profile, profiles.keySet())
                                + "; define it under 'profiles' or fix the name");
                    }
                    named.add(profile);
                }
            }
        }
        List<ClaimCondition> conditions = new ArrayList<>();
        if (e.containsKey("claims")) {
            MappingNode claims = mapping(e.get("claims").getValueNode(),
                    what + " 'claims' (a mapping from claim name to condition)");
            if (claims != null) {
                for (Map.Entry<String, NodeTuple> c : entries(claims, null, what + " 'claims'", false).entrySet()) {
                    readConditions(c.getKey(), c.getValue().getValueNode(), what, conditions);
                }
            }
        }
        if (e.containsKey("description")) {
            scalarText(e.get("description").getValueNode(), what + " 'description'");
        }
        if (name == null || issuer == null) {
            return null;
        }
        return new Rule(name, effect, issuer, named, conditions, position(node));
    }

    private void checkIssuer(String issuer, Node node, String what) {
        try {
            URI uri = new URI(issuer);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                problem(PolicyProblem.Code.INVALID_VALUE, node, what + ": issuer '" + issuer
                        + "' is not an https URL; write it exactly as the token's 'iss' claim");
            }
        } catch (URISyntaxException ex) {
            problem(PolicyProblem.Code.INVALID_VALUE, node, what + ": issuer '" + issuer + "' is not a URL: "
                    + ex.getReason());
        }
    }

    private void readConditions(String claim, Node node, String what, List<ClaimCondition> out) {
        if (node instanceof SequenceNode seq) {
            if (!seq.getValue().isEmpty() && seq.getValue().stream().allMatch(ScalarNode.class::isInstance)) {
                problem(PolicyProblem.Code.WRONG_TYPE, seq, what + ", claim '" + claim + "': a bare list is "
                        + "ambiguous; for any of several values write {oneOf: [...]}, for several conditions that "
                        + "must all hold write a list of mappings such as [{glob: \"...\"}, {not: {equals: x}}]");
                return;
            }
            for (Node item : seq.getValue()) {
                if (!(item instanceof MappingNode)) {
                    problem(PolicyProblem.Code.WRONG_TYPE, item, what + ", claim '" + claim + "': a list here holds "
                            + "conditions that must all hold, each a mapping such as {glob: \"...\"}; "
                            + "for any of several values write oneOf: [a, b]");
                    continue;
                }
                Condition c = condition(claim, item, what);
                if (c != null) {
                    out.add(new ClaimCondition(claim, c, position(item)));
                }
            }
            return;
        }
        Condition c = condition(claim, node, what);
        if (c != null) {
            out.add(new ClaimCondition(claim, c, position(node)));
        }
    }

    private Condition condition(String claim, Node node, String what) {
        count(node, 1);
        String where = what + ", claim '" + claim + "'";
        if (node instanceof ScalarNode s) {
            String value = matchText(s, where + " (shorthand for equals)");
            return value == null ? null : new Condition.Equals(value, false);
        }
        MappingNode map = mapping(node, where + " (a condition such as {equals: x} or {glob: \"repo:org/*:**\"})");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> e = entries(map, CONDITION_KEYS, where, true);
        List<String> ops = e.keySet().stream().filter(OPERATORS::contains).toList();
        if (ops.isEmpty()) {
            if (e.size() == map.getValue().size()) {
                problem(PolicyProblem.Code.MISSING_KEY, node, where + ": no condition; write one of " + OPERATORS);
            }
            return null;
        }
        if (ops.size() > 1) {
            problem(PolicyProblem.Code.INVALID_VALUE, node, where + ": one condition per mapping, found " + ops
                    + "; to require several, write a list: [{" + ops.get(0) + ": ...}, {" + ops.get(1) + ": ...}]");
            return null;
        }
        boolean ignoreCase = e.containsKey("ignoreCase") && bool(e.get("ignoreCase").getValueNode(), "ignoreCase");
        String op = ops.get(0);
        Node value = e.get(op).getValueNode();
        if (ignoreCase && Set.of("absent", "present", "maxAge", "not").contains(op)) {
            problem(PolicyProblem.Code.INVALID_VALUE, e.get("ignoreCase").getKeyNode(), where
                    + ": ignoreCase has no meaning for '" + op + "'" + (op.equals("not")
                    ? "; put it inside the negated condition" : ""));
        }
        switch (op) {
            case "equals" -> {
                if (!(value instanceof ScalarNode s)) {
                    problem(PolicyProblem.Code.WRONG_TYPE, value, where + ": 'equals' takes one value (a string, "
                            + "number or boolean), got a " + kind(value) + "; for any of several values use 'oneOf'");
                    return null;
                }
                String text = matchText(s, where + " 'equals'");
                return text == null ? null : new Condition.Equals(text, ignoreCase);
            }
            case "oneOf" -> {
                SequenceNode seq = sequence(value, where + " 'oneOf' (a list of values)");
                if (seq == null) {
                    return null;
                }
                if (seq.getValue().isEmpty()) {
                    problem(PolicyProblem.Code.INVALID_VALUE, value, where + ": 'oneOf' is empty and could never "
                            + "match; list at least one value");
                    return null;
                }
                List<String> values = new ArrayList<>();
                for (Node item : seq.getValue()) {
                    if (!(item instanceof ScalarNode s)) {
                        problem(PolicyProblem.Code.WRONG_TYPE, item, where + ": 'oneOf' values must be strings, "
                                + "numbers or booleans, got a " + kind(item));
                        return null;
                    }
                    String text = matchText(s, where + " 'oneOf' value");
                    if (text == null) {
                        return null;
                    }
                    values.add(text);
                }
                return new Condition.OneOf(values, ignoreCase);
            }
            case "glob" -> {
                String pattern = scalarText(value, where + " 'glob' (a string)");
                if (pattern == null) {
                    return null;
                }
                Optional<String> tooCostly = PatternLimits.globProblem(pattern);
                if (tooCostly.isPresent()) {
                    problem(PolicyProblem.Code.INVALID_VALUE, value, where + ": the glob " + tooCostly.get());
                    return null;
                }
                return Condition.Glob.of(pattern, ignoreCase);
            }
            case "regex" -> {
                String pattern = scalarText(value, where + " 'regex' (a string)");
                if (pattern == null) {
                    return null;
                }
                Optional<String> tooCostly = PatternLimits.regexProblem(pattern);
                if (tooCostly.isPresent()) {
                    problem(PolicyProblem.Code.INVALID_REGEX, value, where + ": the regex " + tooCostly.get());
                    return null;
                }
                try {
                    return Condition.Regex.of(pattern, ignoreCase);
                } catch (PatternSyntaxException ex) {
                    problem(PolicyProblem.Code.INVALID_REGEX, value, where + ": regex '" + pattern
                            + "' is not valid RE2 syntax (" + ex.getDescription() + "); note RE2 has no "
                            + "backreferences or lookaround");
                    return null;
                }
            }
            case "absent", "present" -> {
                if (!bool(value, where + " '" + op + "'")) {
                    problem(PolicyProblem.Code.INVALID_VALUE, value, where + ": write '"
                            + (op.equals("absent") ? "present" : "absent") + ": true' instead of '" + op + ": false'");
                    return null;
                }
                return op.equals("absent") ? new Condition.Absent() : new Condition.Present();
            }
            case "not" -> {
                Condition inner = condition(claim, value, what);
                return inner == null ? null : new Condition.Not(inner);
            }
            case "maxAge" -> {
                String text = scalarText(value, where + " 'maxAge' (a duration such as 10m)");
                if (text == null) {
                    return null;
                }
                Optional<Duration> d = Durations.parse(text);
                if (d.isEmpty() || d.get().isNegative()) {
                    problem(PolicyProblem.Code.INVALID_VALUE, value, where + ": maxAge '" + text
                            + "' is not a duration; write e.g. 5m, 1h or 300s");
                    return null;
                }
                return new Condition.MaxAge(d.get());
            }
            default -> throw new IllegalStateException(op);
        }
    }

    /** A scalar compared on its text as written; booleans normalised to JSON's {@code true}/{@code false}. */
    private String matchText(ScalarNode s, String what) {
        if (Tag.NULL.equals(s.getTag()) && s.isPlain()) {
            problem(PolicyProblem.Code.WRONG_TYPE, s, what + ": a value is needed; to require a missing claim "
                    + "write {absent: true}");
            return null;
        }
        if (s.getValue().length() > MAX_VALUE_CHARS) {
            problem(PolicyProblem.Code.INVALID_VALUE, s, String.format("%s is %,d characters, longer than the "
                    + "%,d-character limit for one value (a claim in an accepted token is shorter); check the "
                    + "value", what, s.getValue().length(), MAX_VALUE_CHARS));
            return null;
        }
        if (Tag.BOOL.equals(s.getTag()) && s.isPlain()) {
            return s.getValue().toLowerCase(Locale.ROOT);
        }
        return s.getValue();
    }

    // ---- tests

    private void readTests(Node node, Map<String, Profile> profiles, List<PolicyTest> tests) {
        SequenceNode seq = sequence(node, "'tests' (a list of tests)");
        if (seq == null) {
            return;
        }
        int index = 0;
        for (Node item : seq.getValue()) {
            index++;
            String what = "test #" + index;
            MappingNode map = mapping(item, what + " (a mapping with 'name', 'profile', 'claims', 'expect')");
            if (map == null) {
                continue;
            }
            Map<String, NodeTuple> e = entries(map, TEST_KEYS, what, false);
            String name = requiredString(e, "name", item, what, "what the test shows");
            if (name != null) {
                what = "test '" + name + "'";
            }
            String profile = requiredString(e, "profile", item, what, "the profile requested");
            if (profile != null && !profiles.containsKey(profile)) {
                problem(PolicyProblem.Code.UNKNOWN_PROFILE, e.get("profile").getValueNode(), what
                        + " names unknown profile '" + profile + "'" + Suggestions.hint(profile, profiles.keySet()));
            }
            Map<String, Object> claims = null;
            if (!e.containsKey("claims")) {
                problem(PolicyProblem.Code.MISSING_KEY, item, what + ": missing 'claims' (the token's claims)");
            } else {
                claims = plainMap(e.get("claims").getValueNode(), what + " 'claims'");
            }
            Effect expect = null;
            String word = requiredString(e, "expect", item, what, "allow or deny");
            if ("allow".equals(word)) {
                expect = Effect.ALLOW;
            } else if ("deny".equals(word)) {
                expect = Effect.DENY;
            } else if (word != null) {
                problem(PolicyProblem.Code.INVALID_VALUE, e.get("expect").getValueNode(), what
                        + ": expect must be 'allow' or 'deny', not '" + word + "'");
            }
            Optional<String> rule = Optional.empty();
            if (e.containsKey("rule")) {
                rule = Optional.ofNullable(scalarText(e.get("rule").getValueNode(), what + " 'rule'"));
            }
            Optional<Instant> at = Optional.empty();
            if (e.containsKey("at")) {
                String text = scalarText(e.get("at").getValueNode(), what + " 'at'");
                if (text != null) {
                    try {
                        at = Optional.of(Instant.parse(text));
                    } catch (DateTimeParseException ex) {
                        problem(PolicyProblem.Code.INVALID_VALUE, e.get("at").getValueNode(), what + ": 'at' must be "
                                + "an instant such as 2025-01-31T12:00:00Z, not '" + text + "'");
                    }
                }
            }
            if (name != null && profile != null && claims != null && expect != null) {
                tests.add(new PolicyTest(name, profile, Claims.of(claims), at, expect, rule, position(item)));
            }
        }
    }

    // ---- typed access with positions

    private Map<String, NodeTuple> entries(MappingNode map, Set<String> allowed, String what, boolean conditions) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        count(map, map.getValue().size());
        for (NodeTuple t : map.getValue()) {
            String key = keyText(t.getKeyNode());
            if (key == null) {
                continue;
            }
            if (out.containsKey(key)) {
                problem(PolicyProblem.Code.DUPLICATE_KEY, t.getKeyNode(), "duplicate key '" + key + "' in " + what
                        + " (first at " + position(out.get(key).getKeyNode()) + ")");
                continue;
            }
            if (allowed != null && !allowed.contains(key)) {
                problem(PolicyProblem.Code.UNKNOWN_KEY, t.getKeyNode(), (conditions
                        ? "unknown condition '" + key + "'"
                        : "unknown key '" + key + "' in " + what) + hintOrList(key, allowed));
                continue;
            }
            out.put(key, t);
        }
        return out;
    }

    private static String hintOrList(String key, Set<String> allowed) {
        String hint = Suggestions.hint(key, allowed);
        return hint.isEmpty() ? " (expected one of " + new java.util.TreeSet<>(allowed) + ")" : hint;
    }

    private String keyText(Node key) {
        if (key instanceof ScalarNode s) {
            return s.getValue();
        }
        problem(PolicyProblem.Code.WRONG_TYPE, key, "keys must be plain strings, got a " + kind(key));
        return null;
    }

    private String requiredString(Map<String, NodeTuple> e, String key, Node parent, String what, String help) {
        NodeTuple t = e.get(key);
        if (t == null) {
            problem(PolicyProblem.Code.MISSING_KEY, parent, what + ": missing '" + key + "' (" + help + ")");
            return null;
        }
        return scalarText(t.getValueNode(), what + " '" + key + "'");
    }

    private String scalarText(Node node, String what) {
        if (node instanceof ScalarNode s && !(Tag.NULL.equals(s.getTag()) && s.isPlain())) {
            return s.getValue();
        }
        problem(PolicyProblem.Code.WRONG_TYPE, node, what + " must be a single value, got "
                + (node instanceof ScalarNode ? "nothing" : "a " + kind(node)));
        return null;
    }

    private boolean bool(Node node, String what) {
        if (node instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
            return Boolean.parseBoolean(s.getValue().toLowerCase(Locale.ROOT));
        }
        problem(PolicyProblem.Code.WRONG_TYPE, node, what + " must be true or false");
        return false;
    }

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode m) {
            return m;
        }
        problem(PolicyProblem.Code.WRONG_TYPE, node, what + " must be a mapping, got a " + kind(node));
        return null;
    }

    private SequenceNode sequence(Node node, String what) {
        if (node instanceof SequenceNode s) {
            return s;
        }
        problem(PolicyProblem.Code.WRONG_TYPE, node, what + " must be a list, got a " + kind(node));
        return null;
    }

    private Map<String, Object> plainMap(Node node, String what) {
        MappingNode map = mapping(node, what);
        if (map == null) {
            return null;
        }
        Object value = plain(map, what, 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) value;
        return result;
    }

    /** Plain data (maps, lists, strings, numbers, booleans) for provider parameters, scope and test claims. */
    private Object plain(Node node, String what, int depth) {
        count(node, 1);
        if (depth > MAX_DEPTH) {
            throw tooComplex(node, "nested deeper than " + MAX_DEPTH + " levels (or refers to itself)");
        }
        if (node instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            List<NodeTuple> own = new ArrayList<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.isPlain() && k.getValue().equals("<<")) {
                    // A YAML merge key, handy for tests that vary one claim of a shared set.
                    Object merged = plain(t.getValueNode(), what + ".<<", depth + 1);
                    if (merged instanceof Map<?, ?> base) {
                        base.forEach((k2, v2) -> out.put(String.valueOf(k2), v2));
                    } else {
                        problem(PolicyProblem.Code.WRONG_TYPE, t.getValueNode(), what
                                + ": a merge key '<<' takes an alias of a mapping, such as <<: *base");
                    }
                } else {
                    own.add(t);
                }
            }
            MappingNode ownOnly = new MappingNode(m.getTag(), true, own, m.getFlowStyle(), m.getStartMark(), m.getEndMark());
            for (Map.Entry<String, NodeTuple> e : entries(ownOnly, null, what, false).entrySet()) {
                Object v = plain(e.getValue().getValueNode(), what + "." + e.getKey(), depth + 1);
                if (v != null) {
                    out.put(e.getKey(), v);
                }
            }
            return out;
        }
        if (node instanceof SequenceNode s) {
            List<Object> out = new ArrayList<>(s.getValue().size());
            for (Node item : s.getValue()) {
                Object v = plain(item, what + "[]", depth + 1);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }
        ScalarNode s = (ScalarNode) node;
        Tag tag = s.getTag();
        if (Tag.NULL.equals(tag)) {
            problem(PolicyProblem.Code.WRONG_TYPE, node, what + " is null; give a value or remove the key");
            return null;
        }
        if (Tag.BOOL.equals(tag)) {
            return Boolean.parseBoolean(s.getValue().toLowerCase(Locale.ROOT));
        }
        if (Tag.INT.equals(tag)) {
            try {
                BigInteger big = new BigInteger(s.getValue().replace("_", ""));
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            } catch (NumberFormatException ex) {
                return s.getValue();
            }
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                return Double.parseDouble(s.getValue());
            } catch (NumberFormatException ex) {
                return s.getValue();
            }
        }
        return s.getValue();
    }

    private void count(Node node, int n) {
        nodes += n;
        if (nodes > MAX_NODES) {
            throw tooComplex(node, "more than " + MAX_NODES + " values after expanding aliases");
        }
    }

    private PolicyException tooComplex(Node node, String why) {
        List<PolicyProblem> all = new ArrayList<>(problems);
        all.add(new PolicyProblem(PolicyProblem.Code.TOO_COMPLEX, position(node),
                "the policy is " + why + "; write it out plainly without anchors and aliases"));
        return new PolicyException(all);
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "mapping";
        }
        if (node instanceof SequenceNode) {
            return "list";
        }
        if (node instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
            return "null";
        }
        return "single value";
    }

    private void problem(PolicyProblem.Code code, Node node, String message) {
        problems.add(new PolicyProblem(code, position(node), message));
    }

    SourcePosition position(Node node) {
        Optional<Mark> mark = node.getStartMark();
        return mark.map(m -> new SourcePosition(source, m.getLine() + 1, m.getColumn() + 1))
                .orElse(new SourcePosition(source, 1, 1));
    }
}
