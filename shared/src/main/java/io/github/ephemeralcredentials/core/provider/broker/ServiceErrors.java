package io.github.ephemeralcredentials.core.provider.broker;

import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.oauth.ErrorTranslator;
import io.github.ephemeralcredentials.core.provider.oauth.OAuthError;
import okhttp3.HttpUrl;

/**
 * The service's RFC 6749 §5.2 / RFC 8693 §2.2.2 errors. Its descriptions are written for the job's log — a denial
 * carries the trust policy's explanation, claim by claim — so they are repeated whole (cleaned of anything
 * token-shaped by {@link io.github.ephemeralcredentials.core.provider.oauth.TokenEndpoint}). HTTP 429, 5xx and
 * {@code temporarily_unavailable} never reach this class: the endpoint reads them as {@code UNAVAILABLE}, which
 * {@link io.github.ephemeralcredentials.core.provider.Retries} retries.
 *
 * @param profile the profile asked for, or {@code null} for a revocation
 */
record ServiceErrors(HttpUrl endpoint, String profile) implements ErrorTranslator {

    @Override
    public ProviderException translate(OAuthError error) {
        String head = BrokerProvider.ID + ": the token-exchange service at " + endpoint + " refused "
                + (profile == null ? "the revocation" : "profile '" + profile + "'") + " (" + error.code() + ")";
        String said = error.description() == null ? "" : ": " + error.description();
        return switch (error.code()) {
            case "invalid_grant", "access_denied" -> new ProviderException(BrokerProvider.ID, Reason.ACCESS_DENIED,
                    error.code(), head + said + (said.isEmpty() ? ". " : "\n") + "The service's trust policy decides, "
                    + "out of the job's reach: compare the job's claims with the policy's rules for this profile, and "
                    + "ask the service's administrators to change the policy if the job should be allowed.");
            case "invalid_target" -> new ProviderException(BrokerProvider.ID, Reason.INVALID_PARAMETERS,
                    error.code(), head + said + ". Ask for a profile the service defines (its administrators can list "
                    + "them).");
            case "invalid_request", "unsupported_grant_type" -> new ProviderException(BrokerProvider.ID,
                    Reason.INVALID_PARAMETERS, error.code(), head + said + ". Check that 'url' is the service's base "
                    + "URL and that the service's version matches this one.");
            default -> new ProviderException(BrokerProvider.ID, Reason.UNEXPECTED_RESPONSE, error.code(), head + said
                    + ". The service does not answer this error; check that 'url' is the project's token-exchange "
                    + "service.");
        };
    }
}
