package io.github.ephemeralcredentials.core.policy;

/**
 * Exports the rules for one profile to a provider's own trust configuration, so the provider enforces the same
 * rules (defence in depth). Exact by default: a condition the target cannot express fails the export, naming it;
 * with {@code lossy}, the closest broader form is exported and {@link ExportResult#warnings()} lists what the
 * provider will not check.
 */
public final class PolicyExporter {

    private PolicyExporter() {
    }

    public static ExportResult export(Policy policy, String profile, ExportFormat format, boolean lossy) {
        ExportContext ctx = new ExportContext(policy, profile, format, lossy);
        return switch (format) {
            case AWS -> AwsTrustPolicyExport.export(ctx);
            case GCP -> GcpProviderExport.export(ctx);
            case VAULT -> VaultRoleExport.export(ctx);
            case AZURE -> AzureCredentialExport.export(ctx);
        };
    }
}
