package io.github.ephemeralcredentials.core.provider.broker;

import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.oauth.ErrorTranslator;
import io.github.ephemeralcredentials.core.provider.oauth.OAuthError;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
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

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ProviderException translate(OAuthError error) {
        String head = BrokerProvider.ID + ": the token-exchange service at " + endpoint + " refused "
                + (profile == null ? "the revocation" : "profile '" + profile + "'") + " (" + error.code() + ")";
        String explained = explanation(error);
        String said = explained != null ? ": " + explained : error.description() == null ? "" : ": " + error.description();
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

    /**
     * The service's {@code explanation}: the denial as written, one claim per line, where {@code error_description}
     * folds it into RFC 6749's one printable-ASCII line. Bounded by the error body's own limit.
     */
    private static String explanation(OAuthError error) {
        String lines = error.extensions().get("explanation");
        if (lines == null) {
            return null;
        }
        try {
            JsonNode array = JSON.readTree(lines);
            if (array == null || !array.isArray() || array.isEmpty()) {
                return null;
            }
            List<String> text = new ArrayList<>();
            array.forEach(line -> text.add(line.isTextual() ? line.asText() : line.toString()));
            return String.join("\n", text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
