package io.github.ephemeralcredentials.core.provider.oauth;

import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.http.CredentialUrls;
import okhttp3.HttpUrl;

/**
 * Endpoint URLs that will receive a CI token or a client secret: HTTPS only, except on the loopback interface
 * (local test servers), and without user info, query or fragment that RFC 6749 §3.2 forbids.
 */
public final class EndpointUrl {

    private EndpointUrl() {
    }

    /**
     * @param what    what the URL is, for the message (e.g. {@code 'token-endpoint'})
     * @param problem the reason to report when the URL is unacceptable
     */
    public static HttpUrl parse(String provider, String what, String text, Reason problem) {
        HttpUrl url = HttpUrl.parse(text);
        if (url == null) {
            throw new ProviderException(provider, problem, null, provider + ": " + what + " '" + text
                    + "' is not an http(s) URL");
        }
        if (!CredentialUrls.acceptable(url)) {
            throw new ProviderException(provider, problem, null, provider + ": " + what + " '" + text
                    + "' is not HTTPS; credentials are only sent over HTTPS (plain HTTP is allowed on loopback only)");
        }
        if (!url.username().isEmpty() || !url.password().isEmpty() || url.fragment() != null) {
            throw new ProviderException(provider, problem, null, provider + ": " + what
                    + " must not contain user info or a fragment");
        }
        return url;
    }
}
