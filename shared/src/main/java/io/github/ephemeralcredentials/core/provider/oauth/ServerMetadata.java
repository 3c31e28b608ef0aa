package io.github.ephemeralcredentials.core.provider.oauth;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * The endpoints of an authorization server this provider uses, from RFC 8414 / OpenID Connect Discovery metadata
 * or from the profile directly.
 *
 * @param issuer             the issuer identifier, or {@code null} when endpoints were configured directly
 * @param tokenEndpoint      where grants are posted
 * @param revocationEndpoint RFC 7009 endpoint, or {@code null} when the server advertises none
 */
public record ServerMetadata(String issuer, HttpUrl tokenEndpoint, HttpUrl revocationEndpoint) {

    public ServerMetadata {
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    }
}
