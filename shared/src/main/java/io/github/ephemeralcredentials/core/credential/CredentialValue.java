package io.github.ephemeralcredentials.core.credential;

import java.util.Objects;

/**
 * One named value of a credential.
 *
 * @param name   stable name hosts use for outputs (e.g. {@code aws-access-key-id})
 * @param value  the value; if {@code secret}, it must be masked before anything else is printed
 * @param secret whether the value is a secret
 * @param envVar the environment variable it is exported as, or {@code null} for none
 */
public record CredentialValue(String name, String value, boolean secret, String envVar) {

    public CredentialValue {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }

    public static CredentialValue secret(String name, String value, String envVar) {
        return new CredentialValue(name, value, true, envVar);
    }

    public static CredentialValue plain(String name, String value, String envVar) {
        return new CredentialValue(name, value, false, envVar);
    }

    @Override
    public String toString() {
        return "CredentialValue[" + name + "=" + (secret ? "****" : value) + (envVar == null ? "" : ", env=" + envVar) + "]";
    }
}
