package io.github.ephemeralcredentials.core.provider.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.ServerText;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.kohsuke.github.HttpException;

/** What hub4j's failures mean, per step of the App flow, for the person who installed or configured the App. */
final class GitHubErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Step { APP, INSTALLATION, TOKEN }

    private GitHubErrors() {
    }

    /** The HTTP status hub4j saw: a 404 arrives as {@code GHFileNotFoundException}, the others as {@code HttpException}. */
    static int status(IOException e) {
        if (e instanceof HttpException http) {
            return http.getResponseCode();
        }
        return e instanceof FileNotFoundException ? 404 : -1;
    }

    /** GitHub's {@code message} from the error body hub4j put in the exception, cleaned; or "". */
    static String said(IOException e, String... secrets) {
        String text = e.getMessage();
        if (text == null) {
            return "";
        }
        int brace = text.indexOf('{');
        try {
            JsonNode body = brace < 0 ? null : JSON.readTree(text.substring(brace));
            String message = body == null ? null : body.path("message").asText(null);
            return message == null ? "" : " (GitHub said: " + ServerText.clean(message, secrets) + ")";
        } catch (IOException notJson) {
            return "";
        }
    }

    static ProviderException translate(IOException e, Step step, String where, String detail, String... secrets) {
        int status = status(e);
        String github = said(e, secrets);
        String code = status < 0 ? null : String.valueOf(status);
        if (status < 0 || status == 429 || status >= 500
                || (status == 403 && github.toLowerCase(java.util.Locale.ROOT).contains("rate limit"))) {
            return new ProviderException(GitHubAppProvider.ID, Reason.UNAVAILABLE, code, "github-app: " + where
                    + (status < 0 ? " could not be reached (" + e.getClass().getSimpleName() + ")"
                    : " answered HTTP " + status) + github + "; check 'api-url', the proxy and the network, or try "
                    + "again later", e);
        }
        return switch (step) {
            case APP -> new ProviderException(GitHubAppProvider.ID, Reason.INVALID_PARAMETERS, code, "github-app: "
                    + where + " refused the App JWT (HTTP " + status + ")" + github + "; check that 'app-id' is the "
                    + "App's ID (or client ID) and 'private-key-env' one of its current keys, and that this machine's "
                    + "clock is right");
            case INSTALLATION -> status == 404
                    ? new ProviderException(GitHubAppProvider.ID, Reason.INVALID_PARAMETERS, "not_installed",
                    "github-app: the App is not installed on " + where + " (or it does not exist); install the App "
                            + "there" + detail + github)
                    : new ProviderException(GitHubAppProvider.ID, Reason.ACCESS_DENIED, code, "github-app: looking up "
                    + "the App's installation on " + where + " failed with HTTP " + status + github);
            case TOKEN -> switch (status) {
                case 422 -> new ProviderException(GitHubAppProvider.ID, Reason.INVALID_SCOPE, "422", "github-app: the "
                        + "installation on " + where + " cannot grant the requested scope: " + detail + github);
                case 403, 401 -> new ProviderException(GitHubAppProvider.ID, Reason.ACCESS_DENIED, code, "github-app: "
                        + "GitHub refused an installation token for " + where + " (HTTP " + status + ")" + github
                        + "; the installation may be suspended, or the App JWT no longer valid");
                case 404 -> new ProviderException(GitHubAppProvider.ID, Reason.INVALID_PARAMETERS, "404", "github-app: "
                        + "the installation on " + where + " disappeared while creating the token" + github);
                default -> new ProviderException(GitHubAppProvider.ID, Reason.UNEXPECTED_RESPONSE, code, "github-app: "
                        + "creating the installation token for " + where + " failed with HTTP " + status + github);
            };
        };
    }
}
