package io.github.ephemeralcredentials.core.provider;

import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;

/**
 * Trades a CI token for a provider credential. The caller has already decided, under the trust policy, that the
 * exchange is allowed: providers never look at policies.
 */
public interface CredentialProvider {

    /** Stable id used in policy files, inputs and audit records: {@code aws}, {@code gcp}, {@code azure}, ... */
    String id();

    /**
     * What this provider reads and issues, as data; its {@link ProviderDescriptor#id()} is {@link #id()}. Each
     * provider package also exposes it as a constant that loads none of the provider's code.
     */
    ProviderDescriptor descriptor();

    /**
     * @throws ProviderException with a stable reason and an actionable message that contains no secret; never a
     *                           partial credential
     */
    EphemeralCredential exchange(ExchangeRequest request);

    /** Takes back what {@link #exchange} handed out. Idempotent: revoking twice is not an error. */
    void revoke(Revocation revocation);
}
