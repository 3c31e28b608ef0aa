package io.github.ephemeralcredentials.core.provider.vault;

import io.github.ephemeralcredentials.core.provider.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One secret to read after login, in the syntax of {@code hashicorp/vault-action} that users already write:
 * {@code PATH KEY [| ENV_VAR]}, several separated by {@code ;} or new lines. {@code KEY} may be {@code *} for every
 * key of the secret (each exported under its own name). Without {@code | ENV_VAR} the variable is derived from the key
 * as vault-action derives it, so workflows moving over keep their names: the first {@code .} becomes {@code __},
 * dashes and every other character than an ASCII letter, digit or underscore are dropped, and the rest is upper-cased
 * ({@code client.id} → {@code CLIENT__ID}, {@code api-key} → {@code APIKEY}).
 *
 * @param path   the API path under {@code /v1/}: {@code secret/data/ci/db} for KV v2, {@code database/creds/ro} for a
 *               dynamic secret
 * @param key    the key inside the secret's data, or {@code *}
 * @param envVar the variable to export, or {@code null} to derive it from the key
 */
record SecretSpec(String path, String key, String envVar) {

    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.@-]+|\\*");
    private static final Pattern ENV_VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    static List<SecretSpec> parse(String text, Parameters parameters) {
        List<SecretSpec> specs = new ArrayList<>();
        for (String raw : text.split("[;\\n]")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String selector = entry;
            String envVar = null;
            int bar = entry.indexOf('|');
            if (bar >= 0) {
                selector = entry.substring(0, bar).trim();
                envVar = entry.substring(bar + 1).trim();
                if (!ENV_VAR.matcher(envVar).matches()) {
                    throw parameters.invalid("'secrets' entry '" + entry + "': '" + envVar + "' is not a valid "
                            + "environment variable name (letters, digits, underscore; not starting with a digit)");
                }
            }
            String[] parts = selector.split("\\s+");
            if (parts.length != 2) {
                throw parameters.invalid("'secrets' entry '" + entry + "' must be 'PATH KEY' or 'PATH KEY | ENV_VAR', "
                        + "e.g. 'secret/data/ci/db password | DB_PASSWORD'");
            }
            String path = parts[0].replaceAll("^/+|/+$", "");
            if (path.startsWith("v1/")) {
                path = path.substring(3);
            }
            if (!VaultTarget.validPath(path)) {
                throw parameters.invalid("'secrets' entry '" + entry + "': '" + parts[0] + "' is not a Vault API path; "
                        + "write it without /v1/, like secret/data/ci/db (KV v2 paths contain data/)");
            }
            if (!KEY.matcher(parts[1]).matches()) {
                throw parameters.invalid("'secrets' entry '" + entry + "': '" + parts[1] + "' is not a key name; use "
                        + "the key inside the secret, or * for all keys");
            }
            if (envVar != null && parts[1].equals("*")) {
                throw parameters.invalid("'secrets' entry '" + entry + "': '*' exports every key under its own name "
                        + "and cannot take '| " + envVar + "'; list the keys one by one to rename them");
            }
            specs.add(new SecretSpec(path, parts[1], envVar));
        }
        return List.copyOf(specs);
    }

    /** The variable for {@code key}: the explicit one, or vault-action's derivation; null if that is no valid name. */
    String envVarFor(String actualKey) {
        if (envVar != null) {
            return envVar;
        }
        String derived = actualKey.replaceFirst("\\.", "__").replaceAll("[^A-Za-z0-9_]", "").toUpperCase(Locale.ROOT);
        return ENV_VAR.matcher(derived).matches() ? derived : null;
    }
}
