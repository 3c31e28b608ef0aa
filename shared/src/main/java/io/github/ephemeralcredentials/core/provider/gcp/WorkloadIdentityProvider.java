package io.github.ephemeralcredentials.core.provider.gcp;

import io.github.ephemeralcredentials.core.provider.Parameters;
import java.util.regex.Pattern;

/**
 * A workload identity pool provider, named as Google's STS wants it in {@code audience}:
 * {@code //iam.googleapis.com/projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER}.
 */
record WorkloadIdentityProvider(String projectNumber, String pool, String provider) {

    static final String PREFIX = "//iam.googleapis.com/";
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,20}");
    private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
    /** Google: 4 to 32 lowercase letters, digits and dashes; the {@code gcp-} prefix is reserved. */
    private static final Pattern ID = Pattern.compile("[a-z0-9-]{4,32}");
    private static final String EXAMPLE = "projects/123456789012/locations/global/workloadIdentityPools/ci-pool/providers/github";

    static WorkloadIdentityProvider parse(String text, Parameters parameters) {
        String name = text.trim();
        if (name.startsWith("https://iam.googleapis.com/")) {
            throw parameters.invalid("'workload-identity-provider' '" + text + "' is the CI token's audience form "
                    + "(https://...); give the provider's resource name: "
                    + name.substring("https://iam.googleapis.com/".length()) + " (or with the //iam.googleapis.com/ prefix)");
        }
        if (name.startsWith(PREFIX)) {
            name = name.substring(PREFIX.length());
        }
        String[] s = name.split("/", -1);
        String wrong = null;
        if (s.length != 8 || !s[0].equals("projects") || !s[2].equals("locations")
                || !s[4].equals("workloadIdentityPools") || !s[6].equals("providers")) {
            wrong = "it does not have the shape projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER";
        } else if (!NUMBER.matcher(s[1]).matches()) {
            wrong = PROJECT_ID.matcher(s[1]).matches()
                    ? "'" + s[1] + "' is a project ID; use the project NUMBER (gcloud projects describe " + s[1]
                    + " --format='value(projectNumber)')"
                    : "'" + s[1] + "' is not a project number";
        } else if (!s[3].equals("global")) {
            wrong = "the location is '" + s[3] + "'; workload identity pools are always in location 'global'";
        } else if (!ID.matcher(s[5]).matches() || s[5].startsWith("gcp-")) {
            wrong = "the pool ID '" + s[5] + "' is not 4-32 lowercase letters, digits or dashes (not starting with gcp-)";
        } else if (!ID.matcher(s[7]).matches() || s[7].startsWith("gcp-")) {
            wrong = "the provider ID '" + s[7] + "' is not 4-32 lowercase letters, digits or dashes (not starting with gcp-)";
        }
        if (wrong != null) {
            throw parameters.invalid("'workload-identity-provider' '" + text + "' is malformed: " + wrong + "; e.g. "
                    + EXAMPLE + " (gcloud iam workload-identity-pools providers describe PROVIDER --location=global "
                    + "--workload-identity-pool=POOL --format='value(name)')");
        }
        return new WorkloadIdentityProvider(s[1], s[5], s[7]);
    }

    String resourceName() {
        return "projects/" + projectNumber + "/locations/global/workloadIdentityPools/" + pool + "/providers/" + provider;
    }

    /** The STS {@code audience}. */
    String audience() {
        return PREFIX + resourceName();
    }

    /** The default audience Google accepts in the CI token when the provider lists none. */
    String defaultTokenAudience() {
        return "https://iam.googleapis.com/" + resourceName();
    }

    /** The IAM principal of a federated subject, as bindings name it. */
    String principal(String subject) {
        return "principal://iam.googleapis.com/projects/" + projectNumber + "/locations/global/workloadIdentityPools/"
                + pool + "/subject/" + subject;
    }
}
