package io.github.ephemeralcredentials.core.policy;

import java.util.Locale;

/** Provider-side trust configurations a profile's rules can be exported to. */
public enum ExportFormat {
    /** AWS IAM role trust policy JSON. */
    AWS,
    /** GCP workload identity pool OIDC provider: issuer, audiences, attribute mapping, CEL attribute condition. */
    GCP,
    /** HashiCorp Vault JWT auth role JSON. */
    VAULT,
    /** Microsoft Entra federated identity credential JSON. */
    AZURE;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
