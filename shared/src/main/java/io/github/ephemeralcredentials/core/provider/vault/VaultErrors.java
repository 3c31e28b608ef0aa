package io.github.ephemeralcredentials.core.provider.vault;

import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns Vault's error strings into messages that say which setting of which role to change. The strings are those
 * of Vault's JWT auth plugin ({@code vault-plugin-auth-jwt}: bound claims, bound subject, bound audiences, role
 * lookup) and of Vault core (permission denied, missing route).
 */
final class VaultErrors {

    private static final Pattern BOUND_CLAIM = Pattern.compile("claim \"([^\"]+)\" does not match any associated bound claim values");
    private static final Pattern MISSING_CLAIM = Pattern.compile("claim \"([^\"]+)\" is missing");
    private static final Pattern NO_ROLE = Pattern.compile("role \"([^\"]*)\" could not be found");

    private VaultErrors() {
    }

    static ProviderException login(VaultClient.VaultError error, VaultTarget target, Claims claims) {
        String where = "role '" + target.role() + "' of auth/" + target.mount()
                + (target.namespace() == null ? "" : " in namespace " + target.namespace());
        String vault = " (Vault said: " + String.join("; ", error.errors) + ")";
        Matcher bound = find(BOUND_CLAIM, error);
        if (bound != null) {
            String claim = bound.group(1);
            return denied("the CI token's claim '" + claim + "' is " + presented(claims, claim) + ", which is not "
                    + "among the bound_claims values of " + where + "; add that value (or a glob, with "
                    + "bound_claims_type=glob) to bound_claims." + claim + ", or run the job from a context the role "
                    + "allows" + vault, "bound_claims");
        }
        Matcher missing = find(MISSING_CLAIM, error);
        if (missing != null) {
            return denied("the CI token has no claim '" + missing.group(1) + "', which bound_claims of " + where
                    + " requires; remove it from bound_claims or use a CI token that carries it" + vault, "bound_claims");
        }
        if (error.mentions("sub claim does not match bound subject")) {
            return denied("the CI token's sub is " + presented(claims, "sub") + ", which is not the bound_subject of "
                    + where + "; set bound_subject to it, or bind the claims with bound_claims instead" + vault,
                    "bound_subject");
        }
        if (error.mentions("no audiences bound to the role")) {
            return denied("the CI token has aud " + presented(claims, "aud") + " but " + where + " binds no audience, "
                    + "which Vault refuses; set bound_audiences on the role to the token's audience" + vault,
                    "bound_audiences");
        }
        if (error.mentions("aud claim does not match any bound audience") || error.mentions("invalid audience")) {
            return new ProviderException(VaultProvider.ID, Reason.INVALID_TOKEN, "bound_audiences", "vault: the CI "
                    + "token's aud " + presented(claims, "aud") + " is not in bound_audiences of " + where + "; request "
                    + "the CI token with one of the role's audiences, or add this one to bound_audiences" + vault);
        }
        Matcher noRole = find(NO_ROLE, error);
        if (noRole != null) {
            return new ProviderException(VaultProvider.ID, Reason.INVALID_PARAMETERS, "role", "vault: there is no "
                    + where + "; check 'role', 'mount' and 'namespace' against `vault list auth/" + target.mount()
                    + "/role`" + vault);
        }
        if (error.mentions("expired") || error.mentions("not yet valid") || error.mentions("signature")
                || error.mentions("error validating token") || error.mentions("failed to verify")) {
            return new ProviderException(VaultProvider.ID, Reason.INVALID_TOKEN, "token", "vault: Vault did not "
                    + "accept the CI token for " + where + "; if it is expired, request a fresh one; if the signature "
                    + "fails, check the auth method's oidc_discovery_url / jwks_url / bound_issuer against the token's "
                    + "issuer " + presented(claims, "iss") + vault);
        }
        if (error.status == 404 || error.mentions("no handler for route")) {
            return new ProviderException(VaultProvider.ID, Reason.INVALID_PARAMETERS, "mount", "vault: no auth method "
                    + "answers at auth/" + target.mount() + "/login" + (target.namespace() == null ? "" : " in namespace "
                    + target.namespace()) + "; check 'mount' (where the JWT auth method is enabled) and 'namespace'" + vault);
        }
        if (error.status == 403) {
            return denied("Vault refused the login to " + where + " (permission denied); check 'mount' and "
                    + "'namespace': a wrong namespace answers like this" + vault, "permission_denied");
        }
        return denied("Vault refused the login to " + where + " with HTTP " + error.status + vault, "login");
    }

    static ProviderException read(VaultClient.VaultError error, String path, String policies) {
        String vault = " (Vault said: " + String.join("; ", error.errors) + ")";
        if (error.status == 403) {
            return new ProviderException(VaultProvider.ID, Reason.ACCESS_DENIED, "permission_denied", "vault: the "
                    + "token's policies " + policies + " do not allow reading " + path + "; add a policy with "
                    + "capabilities [\"read\"] on path \"" + path + "\" to the role's token_policies" + vault);
        }
        if (error.status == 404) {
            return new ProviderException(VaultProvider.ID, Reason.INVALID_PARAMETERS, "not_found", "vault: nothing at "
                    + path + "; check the path (KV v2 reads go through MOUNT/data/PATH, e.g. secret/data/ci/db)" + vault);
        }
        return new ProviderException(VaultProvider.ID, Reason.INVALID_PARAMETERS, String.valueOf(error.status),
                "vault: reading " + path + " failed with HTTP " + error.status + vault);
    }

    private static ProviderException denied(String message, String code) {
        return new ProviderException(VaultProvider.ID, Reason.ACCESS_DENIED, code, "vault: " + message);
    }

    private static Matcher find(Pattern pattern, VaultClient.VaultError error) {
        for (String e : error.errors) {
            Matcher m = pattern.matcher(e);
            if (m.find()) {
                return m;
            }
        }
        return null;
    }

    /** The claim's value as the token presented it, for the message; claims are not secrets, the token is. */
    private static String presented(Claims claims, String name) {
        return claims.string(name).map(v -> "'" + v + "'").orElse("absent");
    }
}
