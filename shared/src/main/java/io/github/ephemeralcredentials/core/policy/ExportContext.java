package io.github.ephemeralcredentials.core.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.ephemeralcredentials.core.provider.Suggestions;
import java.util.ArrayList;
import java.util.List;

/** What every exporter shares: the rules to export, strict-or-lossy handling of gaps, warnings, JSON output. */
final class ExportContext {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    final Policy policy;
    final Profile profile;
    final ExportFormat format;
    final boolean lossy;
    final List<Rule> allows = new ArrayList<>();
    final List<Rule> denies = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    ExportContext(Policy policy, String profileName, ExportFormat format, boolean lossy) {
        this.policy = policy;
        this.profile = policy.profile(profileName).orElseThrow(() -> new ExportException(
                ExportException.Reason.UNKNOWN_PROFILE, "the policy defines no profile '" + profileName + "'"
                + Suggestions.hint(profileName, policy.profiles().keySet())));
        this.format = format;
        this.lossy = lossy;
        for (Rule r : policy.rulesFor(profileName)) {
            (r.effect() == Effect.ALLOW ? allows : denies).add(r);
        }
        if (allows.isEmpty()) {
            throw new ExportException(ExportException.Reason.NO_RULES, "no allow rule names profile '" + profileName
                    + "'; an export would trust nobody");
        }
    }

    /**
     * A condition the target cannot express: fails the export, or under {@code lossy} records what the provider
     * will not check.
     */
    void cannot(Rule rule, ClaimCondition c, String why, String instead) {
        String what = "rule '" + rule.name() + "' condition " + c.claim() + " " + c.condition().expected() + " ("
                + c.position() + ")";
        if (!lossy) {
            throw new ExportException(ExportException.Reason.NOT_EXPRESSIBLE, what + " cannot be expressed in "
                    + target() + ": " + why + ". Rewrite the condition, or export with --lossy to get a broader "
                    + "configuration (" + instead + ") while the engine keeps checking it");
        }
        warnings.add(target() + " will not check " + what + ": " + why + "; exported " + instead);
    }

    /** A whole rule the target cannot express. */
    void cannot(Rule rule, String why, String instead) {
        if (!lossy) {
            throw new ExportException(ExportException.Reason.NOT_EXPRESSIBLE, "rule '" + rule.name() + "' ("
                    + rule.position() + ") cannot be expressed in " + target() + ": " + why
                    + ". Export with --lossy to get a broader configuration (" + instead + ")");
        }
        warnings.add(target() + " will not enforce rule '" + rule.name() + "' (" + rule.position() + "): " + why
                + "; exported " + instead);
    }

    String target() {
        return switch (format) {
            case AWS -> "an AWS IAM trust policy";
            case GCP -> "a GCP workload identity provider";
            case VAULT -> "a Vault JWT role";
            case AZURE -> "an Azure federated identity credential";
        };
    }

    ExportResult result(Object document) {
        try {
            return new ExportResult(JSON.writeValueAsString(document), warnings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("export cannot be rendered as JSON", e);
        }
    }
}
