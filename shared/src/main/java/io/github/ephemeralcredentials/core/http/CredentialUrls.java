package io.github.ephemeralcredentials.core.http;

import java.util.Set;
import okhttp3.HttpUrl;

/**
 * Which URLs may receive a credential (a CI token, a client secret, a token to revoke): HTTPS, or plain HTTP on the
 * loopback interface (local test servers and sidecars). One rule for every provider and every host, so an exchange
 * and the revocation that a later process performs from a saved record agree.
 */
public final class CredentialUrls {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    private CredentialUrls() {
    }

    public static boolean acceptable(HttpUrl url) {
        return url.isHttps() || LOOPBACK.contains(url.host());
    }

    /** Whether {@code text} is an http(s) URL at all (then it must be {@link #acceptable}). */
    public static boolean looksLikeUrl(String text) {
        return text != null && HttpUrl.parse(text.strip()) != null;
    }
}
