package io.github.ephemeralcredentials.core.provider.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * HashiCorp Vault (or OpenBao) JWT auth: logs in with the CI token, optionally reads KV v2 and dynamic secrets with
 * the Vault token, and at cleanup revokes every lease and then the token itself.
 *
 * <p>Parameters: {@code address} (the VAULT_ADDR), {@code role}, {@code mount} (default {@code jwt}),
 * {@code namespace}, {@code secrets} (vault-action syntax, see {@link SecretSpec}; a string or a list of strings),
 * {@code export-token} (default true: export {@code VAULT_TOKEN} so the job can call Vault itself; false when the
 * job needs only the secrets read here). Vault decides the token's lifetime from the role ({@code token_ttl}); the
 * requested lifetime is not sent, because the login API takes none.
 */
public final class VaultProvider implements CredentialProvider {

    public static final String ID = "vault";
    public static final ProviderDescriptor DESCRIPTOR = VaultDescriptor.DESCRIPTOR;
    static final String REVOCATION_KIND = "vault-token";


    private final OkHttpClient http;
    private final Retries retries;
    private final Clock clock;

    public VaultProvider(OkHttpClient http, Retries retries, Clock clock) {
        this.http = http;
        this.retries = retries;
        this.clock = clock;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public EphemeralCredential exchange(ExchangeRequest request) {
        Parameters parameters = Parameters.of(ID, request.parameters()).onlyKnown(DESCRIPTOR.parameterNames());
        VaultTarget target = VaultTarget.from(parameters);
        List<SecretSpec> specs = SecretSpec.parse(parameters.text("secrets"), parameters);
        boolean exportToken = parameters.flag("export-token", true);
        VaultClient client = new VaultClient(http, target.address(), target.namespace());

        Instant sent = clock.instant();
        JsonNode auth = retries.run(ID, request.ciToken(), jwt -> {
            try {
                return client.login(target.mount(), target.role(), jwt).path("auth");
            } catch (VaultClient.VaultError e) {
                throw VaultErrors.login(e, target, request.claims());
            }
        });
        String token = text(auth, "client_token");
        if (token == null) {
            throw new ProviderException(ID, Reason.UNEXPECTED_RESPONSE, null, "vault: the login to " + target
                    + " answered without auth.client_token; check that 'address' points at Vault");
        }
        List<String> leases = new ArrayList<>();
        try {
            return credential(request, target, client, auth, token, specs, exportToken, leases, sent);
        } catch (RuntimeException e) {
            // Never leave a half-made credential alive: what was issued so far is taken back before failing.
            try {
                revoke(client, token, leases);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private EphemeralCredential credential(ExchangeRequest request, VaultTarget target, VaultClient client,
                                           JsonNode auth, String token, List<SecretSpec> specs, boolean exportToken,
                                           List<String> leases, Instant sent) {
        long ttl = auth.path("lease_duration").asLong(0);
        if (ttl <= 0) {
            throw new ProviderException(ID, Reason.UNEXPECTED_RESPONSE, "lease_duration", "vault: role '"
                    + target.role() + "' issued a token that never expires (lease_duration 0); set token_ttl and "
                    + "token_max_ttl on the role so CI tokens are short-lived (the token was revoked)");
        }
        Instant expiresAt = sent.plusSeconds(ttl);
        String policies = list(auth.path("policies"));

        List<CredentialValue> values = new ArrayList<>();
        if (exportToken) {
            values.add(CredentialValue.secret("vault-token", token, "VAULT_TOKEN"));
        }
        values.add(CredentialValue.plain("vault-address", target.address().toString().replaceAll("/$", ""), "VAULT_ADDR"));
        if (target.namespace() != null) {
            values.add(CredentialValue.plain("vault-namespace", target.namespace(), "VAULT_NAMESPACE"));
        }
        Set<String> exported = new HashSet<>();
        Map<String, JsonNode> read = new LinkedHashMap<>();
        for (SecretSpec spec : specs) {
            JsonNode data = read.get(spec.path());
            if (data == null) {
                // One read per path: a dynamic secret read twice would be two different credentials.
                JsonNode response = retries.run(ID, () -> token, t -> {
                    try {
                        return client.read(token, spec.path());
                    } catch (VaultClient.VaultError e) {
                        throw VaultErrors.read(e, spec.path(), policies);
                    }
                });
                String leaseId = text(response, "lease_id");
                if (leaseId != null) {
                    leases.add(leaseId);
                    long leaseTtl = response.path("lease_duration").asLong(0);
                    if (leaseTtl > 0 && sent.plusSeconds(leaseTtl).isBefore(expiresAt)) {
                        expiresAt = sent.plusSeconds(leaseTtl);
                    }
                }
                data = response.path("data");
                // KV v2 wraps the secret in data.data, beside data.metadata (vault-action selects the same way).
                if (data.path("data").isObject() && data.path("metadata").isObject()) {
                    data = data.path("data");
                }
                if (!data.isObject()) {
                    throw new ProviderException(ID, Reason.UNEXPECTED_RESPONSE, null, "vault: " + spec.path()
                            + " answered without a data object; check that it is a secret path");
                }
                read.put(spec.path(), data);
            }
            List<String> keys = new ArrayList<>();
            if (spec.key().equals("*")) {
                data.fieldNames().forEachRemaining(keys::add);
            } else if (data.has(spec.key())) {
                keys.add(spec.key());
            } else {
                Set<String> available = new TreeSet<>();
                data.fieldNames().forEachRemaining(available::add);
                throw new ProviderException(ID, Reason.INVALID_PARAMETERS, "key", "vault: " + spec.path() + " has no "
                        + "key '" + spec.key() + "'; its keys are " + available);
            }
            for (String key : keys) {
                String envVar = spec.envVarFor(key);
                if (envVar == null) {
                    throw new ProviderException(ID, Reason.INVALID_PARAMETERS, "key", "vault: the key '" + key + "' of "
                            + spec.path() + " gives no valid environment variable name; name it: '" + spec.path()
                            + " " + key + " | NAME'");
                }
                if (!exported.add(envVar) || envVar.equals("VAULT_TOKEN") || envVar.equals("VAULT_ADDR")) {
                    throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "vault: two values would be "
                            + "exported as " + envVar + "; give the secrets distinct names with '| NAME'");
                }
                JsonNode value = data.get(key);
                values.add(CredentialValue.secret(envVar, value.isValueNode() ? value.asText() : value.toString(), envVar));
            }
        }

        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("principal", "auth/" + target.mount() + "/role/" + target.role());
        facts.put("address", target.address().toString());
        if (target.namespace() != null) {
            facts.put("namespace", target.namespace());
        }
        putIfPresent(facts, "accessor", text(auth, "accessor"));
        facts.put("policies", policies);
        facts.put("scope", "policies " + policies);
        facts.put("token-policies", list(auth.path("token_policies")));
        facts.put("renewable", String.valueOf(auth.path("renewable").asBoolean(false)));
        for (Iterator<Map.Entry<String, JsonNode>> it = auth.path("metadata").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            facts.put("metadata." + e.getKey(), e.getValue().asText());
        }
        if (!read.isEmpty()) {
            facts.put("secrets-read", String.join(",", read.keySet()));
        }
        facts.put("leases", String.valueOf(leases.size()));
        facts.put("expiration", expiresAt.toString());

        Map<String, String> revocation = new HashMap<>();
        revocation.put("address", target.address().toString());
        if (target.namespace() != null) {
            revocation.put("namespace", target.namespace());
        }
        revocation.put("token", token);
        if (!leases.isEmpty()) {
            revocation.put("leases", String.join("\n", leases));
        }
        return new EphemeralCredential(ID, values, facts, expiresAt,
                List.of(new Revocation(ID, REVOCATION_KIND, revocation)), List.of());
    }

    /**
     * Revokes the leases read for the credential, then the token ({@code revoke-self}, which also revokes every lease
     * the token created). A lease that cannot be revoked on its own (the token's policy may not grant
     * {@code sys/leases/revoke}) is therefore no failure as long as the token revocation succeeds.
     */
    @Override
    public void revoke(Revocation revocation) {
        if (!ID.equals(revocation.provider()) || !REVOCATION_KIND.equals(revocation.kind())) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "vault: cannot perform a "
                    + revocation.provider() + "/" + revocation.kind() + " revocation; it belongs to another provider");
        }
        Map<String, String> p = revocation.parameters();
        HttpUrl address = p.get("address") == null ? null : HttpUrl.parse(p.get("address"));
        String token = p.get("token");
        if (address == null || token == null || token.isBlank()) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "vault: the revocation lacks a valid "
                    + "address or token; it was not produced by this provider's exchange");
        }
        if (!io.github.ephemeralcredentials.core.http.CredentialUrls.acceptable(address)) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "vault: the revocation's address is "
                    + "neither https nor loopback; a Vault token is never sent over plain http to another host");
        }
        List<String> leases = p.get("leases") == null ? List.of() : List.of(p.get("leases").split("\n"));
        revoke(new VaultClient(http, address, p.get("namespace")), token, leases);
    }

    private void revoke(VaultClient client, String token, List<String> leases) {
        List<String> leaseFailures = new ArrayList<>();
        for (String lease : new LinkedHashSet<>(leases)) {
            try {
                retries.run(ID, () -> token, t -> {
                    client.revokeLease(token, lease);
                    return null;
                });
            } catch (VaultClient.VaultError | ProviderException e) {
                leaseFailures.add(lease + ": " + e.getMessage());
            }
        }
        try {
            retries.run(ID, () -> token, t -> {
                client.revokeSelf(token);
                return null;
            });
        } catch (VaultClient.VaultError e) {
            if (e.status == 403 && !tokenAlive(client, token)) {
                return; // already revoked or expired: revoking twice is not an error
            }
            throw new ProviderException(ID, Reason.ACCESS_DENIED, String.valueOf(e.status), "vault: the token is "
                    + "still valid but Vault refused to revoke it (" + e.getMessage() + "); the role's policies must "
                    + "allow update on auth/token/revoke-self (the default policy does: do not set "
                    + "token_no_default_policy without adding it)" + leaseNote(leaseFailures));
        } catch (ProviderException e) {
            throw new ProviderException(ID, e.reason(), e.providerCode(), e.getMessage() + leaseNote(leaseFailures), e);
        }
    }

    private boolean tokenAlive(VaultClient client, String token) {
        try {
            client.lookupSelf(token);
            return true;
        } catch (VaultClient.VaultError e) {
            return e.status != 403 && e.status != 401;
        } catch (ProviderException e) {
            return true;
        }
    }

    private static String leaseNote(List<String> failures) {
        return failures.isEmpty() ? "" : "; these leases could not be revoked either and end at their TTL: " + failures;
    }

    private static String text(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() || !v.isValueNode() || v.asText().isEmpty() ? null : v.asText();
    }

    private static String list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return String.join(",", out);
    }

    private static void putIfPresent(Map<String, String> facts, String name, String value) {
        if (value != null) {
            facts.put(name, value);
        }
    }
}
