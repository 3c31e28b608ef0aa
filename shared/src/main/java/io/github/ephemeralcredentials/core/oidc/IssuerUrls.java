package io.github.ephemeralcredentials.core.oidc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/** Checks an issuer URL a host is configured with before any token carries it in {@code iss}. */
public final class IssuerUrls {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private IssuerUrls() {
    }

    /**
     * Returns {@code url} if relying parties can use it as an issuer: absolute {@code https} (plain {@code http} only
     * on loopback, for tests), with a host, without user info, query, fragment or trailing slash (relying parties
     * compare {@code iss} exactly and build {@code /.well-known/openid-configuration} from it).
     *
     * @throws IllegalArgumentException naming what is wrong and what to write instead
     */
    public static String validate(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("issuer URL is empty; write the absolute https URL where the discovery "
                    + "document is published, without '/.well-known/openid-configuration'");
        }
        String trimmed = url.strip();
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("issuer URL '" + trimmed + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!uri.isAbsolute() || host == null) {
            throw new IllegalArgumentException("issuer URL '" + trimmed + "' must be absolute, like "
                    + "'https://ci.example.com/ephemeral-credentials-oidc'");
        }
        if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK.contains(host.toLowerCase(Locale.ROOT)))) {
            throw new IllegalArgumentException("issuer URL '" + trimmed + "' must use https: cloud providers fetch the "
                    + "discovery document and keys only over https");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("issuer URL must not contain user info (user:password@)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("issuer URL '" + trimmed + "' must not have a query or fragment");
        }
        if (trimmed.endsWith("/")) {
            throw new IllegalArgumentException("issuer URL '" + trimmed + "' ends with '/'; relying parties compare "
                    + "issuers exactly, so write it without the trailing slash");
        }
        if (trimmed.endsWith("/.well-known/openid-configuration")) {
            throw new IllegalArgumentException("issuer URL '" + trimmed + "' is the discovery document's URL; write "
                    + "the issuer URL, which is that URL without '/.well-known/openid-configuration'");
        }
        return trimmed;
    }
}
