package io.github.ephemeralcredentials.core.credential;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A live, scoped, short-lived credential and how to take it back.
 *
 * @param provider    the provider id that issued it
 * @param values      the named values, secret or not, with their environment variables
 * @param facts       non-secret facts for outputs and audit (e.g. {@code principal}, {@code aws-account-id})
 * @param expiresAt   when the provider says it expires
 * @param revocations what can be revoked at cleanup (empty when the provider has no revocation)
 * @param files       files written for this credential (e.g. an {@code external_account} file), deleted at cleanup
 */
public record EphemeralCredential(String provider, List<CredentialValue> values, Map<String, String> facts,
                                  Instant expiresAt, List<Revocation> revocations, List<java.nio.file.Path> files) {

    public EphemeralCredential {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(expiresAt, "expiresAt");
        values = List.copyOf(values);
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        revocations = List.copyOf(revocations);
        files = List.copyOf(files);
    }

    public List<String> secrets() {
        return values.stream().filter(CredentialValue::secret).map(CredentialValue::value).toList();
    }

    /** Environment variables to export, in the provider's order. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        values.stream().filter(v -> v.envVar() != null).forEach(v -> env.put(v.envVar(), v.value()));
        return env;
    }

    public Optional<CredentialValue> value(String name) {
        return values.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return "EphemeralCredential[" + provider + ", values=" + values + ", facts=" + facts + ", expiresAt="
                + expiresAt + ", revocations=" + revocations + ", files=" + files + "]";
    }
}
