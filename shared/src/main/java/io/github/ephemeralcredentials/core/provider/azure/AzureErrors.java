package io.github.ephemeralcredentials.core.provider.azure;

import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.oauth.ErrorTranslator;
import io.github.ephemeralcredentials.core.provider.oauth.OAuthError;
import io.github.ephemeralcredentials.core.provider.oauth.OAuthErrors;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Reads Entra's {@code AADSTS} codes (the number opening {@code error_description}, repeated in {@code error_codes})
 * into reasons and messages; anything else falls back to the standard RFC 6749 reading.
 */
final class AzureErrors implements ErrorTranslator {

    private static final Pattern AADSTS = Pattern.compile("^AADSTS(\\d+)");

    private final HttpUrl endpoint;
    private final String tenant;
    private final String clientId;
    private final Claims claims;
    private final Clock clock;
    private final OAuthErrors standard;

    AzureErrors(HttpUrl endpoint, String tenant, String clientId, Claims claims, Clock clock) {
        this.endpoint = endpoint;
        this.tenant = tenant;
        this.clientId = clientId;
        this.claims = claims;
        this.clock = clock;
        this.standard = new OAuthErrors(AzureProvider.ID, endpoint, clientId, claims, "client_assertion", clock);
    }

    @Override
    public ProviderException translate(OAuthError error) {
        Optional<String> code = aadsts(error);
        String head = "azure: Entra (" + endpoint.host() + ") refused the client assertion for app " + clientId
                + " in tenant " + tenant + " (" + error.summary() + ")" + trace(error) + ". ";
        String presented = "The token presented iss=" + claimOr("iss") + ", sub=" + claimOr("sub") + ", aud="
                + claims.audience() + ".";
        if (code.isEmpty()) {
            if (error.code().equals("invalid_client")) {
                // Without an AADSTS code (a non-Entra server such as Keycloak's federated-jwt clients), the
                // description is all we have: name the refused part when it says, else what was presented.
                if (standard.hint(error.description()).isPresent()) {
                    return standard.refusedToken(error, head);
                }
                return new ProviderException(AzureProvider.ID, Reason.ACCESS_DENIED, error.code(), head
                        + "The server did not accept the CI token as this client's credential: check the client's "
                        + "federated credential against what was presented. " + presented);
            }
            return standard.translate(error);
        }
        String aadsts = "AADSTS" + code.get();
        return switch (code.get()) {
            case "700211", "700212", "700213", "70021" -> new ProviderException(AzureProvider.ID, Reason.ACCESS_DENIED,
                    aadsts, head + "No federated identity credential of the app matches the token"
                    + mismatch(code.get()) + ". Entra compares issuer, subject and audience exactly and "
                    + "case-sensitively (no wildcards, no trailing-slash tolerance). " + presented + " Add a federated "
                    + "credential with exactly these values on app " + clientId + ", or mint the CI token with the "
                    + "audience configured there (usually api://AzureADTokenExchange).");
            case "700024" -> new ProviderException(AzureProvider.ID, Reason.INVALID_TOKEN, aadsts, head
                    + "The assertion is outside its validity window: iat=" + claimOr("iat") + ", nbf=" + claimOr("nbf")
                    + ", exp=" + claimOr("exp") + ", now=" + clock.instant().getEpochSecond() + ". Fetch a fresh CI "
                    + "token and check the clocks; Entra also refuses assertions that are not yet valid.");
            case "700016" -> new ProviderException(AzureProvider.ID, Reason.INVALID_PARAMETERS, aadsts, head
                    + "No application with this client id exists in this tenant: check 'client-id' and 'tenant-id'.");
            case "90002", "900023", "90013" -> new ProviderException(AzureProvider.ID, Reason.INVALID_PARAMETERS, aadsts,
                    head + "The tenant was not found in this cloud: check 'tenant-id' and 'cloud'.");
            case "70011", "1002012" -> new ProviderException(AzureProvider.ID, Reason.INVALID_SCOPE, aadsts, head
                    + "Ask for exactly one '<resource>/.default' scope, e.g. https://management.azure.com/.default.");
            case "50027", "50013", "5002738", "50126" -> new ProviderException(AzureProvider.ID, Reason.INVALID_TOKEN,
                    aadsts, head + "Entra could not validate the token: check that its issuer " + claimOr("iss")
                    + " serves discovery and JWKS publicly, and that the token is a signed JWT.");
            case "7000215", "700027" -> new ProviderException(AzureProvider.ID, Reason.ACCESS_DENIED, aadsts, head
                    + "The app expects a different credential: add a federated identity credential for the CI issuer.");
            default -> new ProviderException(AzureProvider.ID, standard.translate(error).reason(), aadsts, head
                    + "See https://login.microsoftonline.com/error?code=" + code.get() + " for this code.");
        };
    }

    private static String mismatch(String code) {
        return switch (code) {
            case "700211" -> " (its issuer matched none)";
            case "700212" -> " (its audience matched none)";
            case "700213" -> " (its subject matched none)";
            default -> "";
        };
    }

    private static Optional<String> aadsts(OAuthError error) {
        if (error.description() != null) {
            Matcher m = AADSTS.matcher(error.description());
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        String codes = error.extensions().get("error_codes");
        if (codes != null) {
            Matcher m = Pattern.compile("(\\d+)").matcher(codes);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    private static String trace(OAuthError error) {
        String trace = error.extensions().get("trace_id");
        String correlation = error.extensions().get("correlation_id");
        return (trace == null ? "" : "; trace id " + trace) + (correlation == null ? "" : ", correlation id " + correlation);
    }

    private String claimOr(String name) {
        return claims.string(name).orElse("none");
    }
}
