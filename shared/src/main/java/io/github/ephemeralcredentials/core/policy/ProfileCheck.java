package io.github.ephemeralcredentials.core.policy;

import io.github.ephemeralcredentials.core.provider.ParameterProblem;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.Suggestions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Checks a profile against its provider's descriptor when the file is loaded, so a typo in a provider or parameter
 * name fails {@code policy validate} at its line instead of the first exchange. Only what the descriptor says
 * (names, presence, shapes, lifetime bounds); the provider still checks values when it runs.
 */
final class ProfileCheck {

    private final Map<String, ProviderDescriptor> descriptors;
    private final Function<Node, SourcePosition> position;

    ProfileCheck(Map<String, ProviderDescriptor> descriptors, Function<Node, SourcePosition> position) {
        this.descriptors = Map.copyOf(descriptors);
        this.position = position;
    }

    /**
     * @param entries  the profile's keys as written ({@code provider}, {@code parameters}, ...)
     * @param node     the profile's mapping, for problems of something absent
     * @param provider the provider id written, or {@code null} when it was not readable (already reported)
     * @param parameters, scope, lifetime as read, or {@code null} when not readable (already reported)
     */
    List<PolicyProblem> check(String profile, Map<String, NodeTuple> entries, Node node, String provider,
                              Map<String, Object> parameters, Map<String, Object> scope, Duration lifetime) {
        List<PolicyProblem> problems = new ArrayList<>();
        if (provider == null) {
            return problems;
        }
        String what = "profile '" + profile + "'";
        ProviderDescriptor descriptor = descriptors.get(provider);
        if (descriptor == null) {
            problems.add(new PolicyProblem(PolicyProblem.Code.UNKNOWN_PROVIDER,
                    position.apply(entries.get("provider").getValueNode()), what + ": unknown provider '" + provider
                    + "'" + Suggestions.hint(provider, descriptors.keySet()) + "; use one of "
                    + String.join(", ", new java.util.TreeSet<>(descriptors.keySet()))));
            return problems;
        }
        if (parameters != null) {
            check(problems, what, descriptor.checkParameters(parameters), entries.get("parameters"), node);
        }
        if (scope != null) {
            check(problems, what, descriptor.checkScope(scope), entries.get("scope"), node);
        }
        if (lifetime != null && parameters != null) {
            descriptor.checkLifetime(lifetime, parameters).ifPresent(p -> problems.add(new PolicyProblem(
                    PolicyProblem.Code.INVALID_VALUE, position.apply(entries.get("maxLifetime").getValueNode()),
                    what + ": maxLifetime: " + p.message())));
        }
        return problems;
    }

    private void check(List<PolicyProblem> out, String what, List<ParameterProblem> problems, NodeTuple section,
                       Node profile) {
        Map<String, NodeTuple> written = section == null ? Map.of() : ownEntries(section.getValueNode());
        for (ParameterProblem p : problems) {
            NodeTuple at = written.get(p.parameter());
            // A type error points at the value, a name at its key; what is missing, at the section (or profile).
            Node node = at == null ? (section == null ? profile : section.getKeyNode())
                    : p.code() == ParameterProblem.Code.WRONG_TYPE ? at.getValueNode() : at.getKeyNode();
            out.add(new PolicyProblem(code(p.code()), position.apply(node), what + ": " + p.message()));
        }
    }

    /** The keys written in the section itself; a key brought in by a merge key ({@code <<}) points at the merge. */
    private static Map<String, NodeTuple> ownEntries(Node node) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    if (k.getValue().equals("<<") && t.getValueNode() instanceof MappingNode merged) {
                        merged.getValue().forEach(mt -> {
                            if (mt.getKeyNode() instanceof ScalarNode mk) {
                                out.putIfAbsent(mk.getValue(), t);
                            }
                        });
                    } else {
                        out.put(k.getValue(), t);
                    }
                }
            }
        }
        return out;
    }

    private static PolicyProblem.Code code(ParameterProblem.Code code) {
        return switch (code) {
            case UNKNOWN -> PolicyProblem.Code.UNKNOWN_PARAMETER;
            case MISSING -> PolicyProblem.Code.MISSING_KEY;
            case WRONG_TYPE -> PolicyProblem.Code.WRONG_TYPE;
            case OUT_OF_RANGE -> PolicyProblem.Code.INVALID_VALUE;
        };
    }
}
