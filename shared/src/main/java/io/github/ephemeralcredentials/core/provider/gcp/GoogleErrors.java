package io.github.ephemeralcredentials.core.provider.gcp;

import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.gcp.GoogleApi.GoogleError;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What Google's STS and IAM Credentials refusals mean for the person who configured the pool or the binding. */
final class GoogleErrors {

    private GoogleErrors() {
    }

    static ProviderException sts(GoogleError error, WorkloadIdentityProvider wip, Claims claims) {
        String provider = "provider " + wip.resourceName();
        String google = error.said();
        String code = error.code() == null ? String.valueOf(error.status()) : error.code();
        if (error.says("audience") && error.says("does not match")) {
            return new ProviderException(GcpProvider.ID, Reason.INVALID_TOKEN, code, "gcp: the CI token's aud "
                    + claims.audience() + " is not an allowed audience of " + provider + "; request the CI token with "
                    + "audience " + wip.defaultTokenAudience() + " (Google's default) or add the token's audience "
                    + "to the provider's allowed audiences" + google);
        }
        if (error.says("attribute condition")) {
            return new ProviderException(GcpProvider.ID, Reason.ACCESS_DENIED, code, "gcp: the attribute condition "
                    + "of " + provider + " rejected the CI token, whose claims are " + presented(claims)
                    + "; fix the condition (gcloud iam workload-identity-pools providers describe " + wip.provider()
                    + " --workload-identity-pool=" + wip.pool() + " --location=global) or run from an allowed "
                    + "repository/ref" + google);
        }
        if ("invalid_target".equals(error.code()) || error.says("disabled or deleted") || error.says("does not exist")) {
            return new ProviderException(GcpProvider.ID, Reason.INVALID_PARAMETERS, code, "gcp: " + provider
                    + " does not exist, or it or its pool is disabled or deleted; check 'workload-identity-provider'"
                    + google);
        }
        if ("invalid_grant".equals(error.code()) || "unauthorized_client".equals(error.code())) {
            String hint = error.says("expired") || error.says("stale")
                    ? "the CI token is expired or too old; request a fresh one"
                    : "check that the provider's issuer URI is " + claims.issuer() + " and that its JWKS is reachable "
                    + "by Google, and that the attribute mapping only reads claims the token has";
            return new ProviderException(GcpProvider.ID, Reason.INVALID_TOKEN, code, "gcp: Google STS refused the CI "
                    + "token for " + provider + "; " + hint + google);
        }
        if ("invalid_request".equals(error.code()) || "invalid_scope".equals(error.code())) {
            return new ProviderException(GcpProvider.ID, Reason.INVALID_PARAMETERS, code, "gcp: Google STS refused "
                    + "the request for " + provider + "; check 'workload-identity-provider' and 'scopes'" + google);
        }
        return new ProviderException(GcpProvider.ID, Reason.UNEXPECTED_RESPONSE, code, "gcp: Google STS answered "
                + "HTTP " + error.status() + " for " + provider + google);
    }

    static ProviderException impersonation(GoogleError error, String serviceAccount, String principal,
                                           WorkloadIdentityProvider wip, String lifetime) {
        String google = error.said();
        String code = error.code() == null ? String.valueOf(error.status()) : error.code();
        if (error.status() == 403 && (error.says("SERVICE_DISABLED") || error.says("has not been used")
                || error.says("is disabled"))) {
            return new ProviderException(GcpProvider.ID, Reason.INVALID_PARAMETERS, code, "gcp: the IAM Service "
                    + "Account Credentials API is not enabled; run gcloud services enable iamcredentials.googleapis.com "
                    + "--project=<the service account's project>" + google);
        }
        if (error.status() == 403) {
            return new ProviderException(GcpProvider.ID, Reason.ACCESS_DENIED, code, "gcp: " + principal + " may not "
                    + "impersonate " + serviceAccount + "; grant it roles/iam.workloadIdentityUser on the service "
                    + "account: gcloud iam service-accounts add-iam-policy-binding " + serviceAccount
                    + " --role=roles/iam.workloadIdentityUser --member=\"" + principal + "\" (or a principalSet:// of "
                    + "pool " + wip.pool() + " matching an attribute such as attribute.repository)" + google);
        }
        if (error.status() == 404) {
            return new ProviderException(GcpProvider.ID, Reason.INVALID_PARAMETERS, code, "gcp: service account "
                    + serviceAccount + " does not exist; check 'service-account'" + google);
        }
        if (error.status() == 401) {
            return new ProviderException(GcpProvider.ID, Reason.INVALID_TOKEN, code, "gcp: IAM Credentials did not "
                    + "accept the federated token from " + wip.resourceName() + google);
        }
        boolean longerThanAnHour = Long.parseLong(lifetime.substring(0, lifetime.length() - 1)) > 3600;
        if (error.status() == 400 && (error.says("lifetime") || longerThanAnHour)) {
            return new ProviderException(GcpProvider.ID, Reason.INVALID_PARAMETERS, code, "gcp: Google refused the "
                    + "lifetime " + lifetime + " for " + serviceAccount + "; above 3600s the organization policy "
                    + "constraints/iam.allowServiceAccountCredentialLifetimeExtension must list the service account, "
                    + "otherwise request at most 1 hour" + google);
        }
        if (error.status() == 400) {
            return new ProviderException(GcpProvider.ID, Reason.INVALID_SCOPE, code, "gcp: Google refused the token "
                    + "request for " + serviceAccount + "; check 'scopes' and 'delegates'" + google);
        }
        return new ProviderException(GcpProvider.ID, Reason.UNEXPECTED_RESPONSE, code, "gcp: IAM Credentials "
                + "answered HTTP " + error.status() + " for " + serviceAccount + google);
    }

    /** The claims attribute conditions usually test; claims are not secrets. */
    private static String presented(Claims claims) {
        return Stream.of("sub", "repository", "repository_owner", "ref", "workflow_ref", "environment")
                .filter(claims::has)
                .map(n -> n + "=" + claims.string(n).orElse(""))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
