package io.github.ephemeralcredentials.core.provider.oauth;

import io.github.ephemeralcredentials.core.provider.ProviderException;

/** Turns a server's RFC 6749 §5.2 error into our exception; providers with richer codes (Entra) supply their own. */
@FunctionalInterface
public interface ErrorTranslator {

    ProviderException translate(OAuthError error);
}
