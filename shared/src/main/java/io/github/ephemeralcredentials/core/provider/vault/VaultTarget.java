package io.github.ephemeralcredentials.core.provider.vault;

import io.github.ephemeralcredentials.core.provider.Parameters;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Where to log in: the Vault address, the optional Enterprise/OpenBao namespace, the auth mount and the role.
 *
 * @param address   base URL without a trailing slash ({@code /v1/...} is appended)
 * @param namespace namespace sent as {@code X-Vault-Namespace}, or {@code null}
 * @param mount     path of the JWT auth method under {@code auth/}
 * @param role      the JWT auth role
 */
record VaultTarget(HttpUrl address, String namespace, String mount, String role) {

    /** Vault mount and namespace paths: segments of letters, digits, {@code _ - .}, separated by single slashes. */
    static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_.@-]{1,128}");

    static VaultTarget from(Parameters parameters) {
        parameters.required("address", "https://vault.example.com:8200");
        HttpUrl address = address(parameters, parameters.url("address", "https://vault.example.com:8200 (the value of "
                + "VAULT_ADDR)").orElseThrow());
        String namespace = parameters.optional("namespace").map(n -> strip(n)).orElse(null);
        if (namespace != null && !validPath(namespace)) {
            throw parameters.invalid("'namespace' '" + namespace + "' is not a Vault namespace path; write it like "
                    + "admin/team-a (letters, digits, _ - . separated by /)");
        }
        String mount = strip(parameters.optional("mount").orElse("jwt"));
        if (mount.startsWith("auth/")) {
            mount = mount.substring("auth/".length());
        }
        if (!validPath(mount)) {
            throw parameters.invalid("'mount' '" + mount + "' is not a Vault mount path; give the path the JWT auth "
                    + "method is enabled at, without auth/ (e.g. jwt or github-actions)");
        }
        String role = parameters.required("role", "ci-deploy");
        if (!ROLE.matcher(role).matches()) {
            throw parameters.invalid("'role' '" + role + "' is not a Vault role name (letters, digits, _ . @ -)");
        }
        return new VaultTarget(address, namespace, mount, role);
    }

    /** Builds {@code {address}/v1/{path}}, keeping any path prefix of the address (a Vault behind a proxy). */
    HttpUrl api(String path) {
        return address.newBuilder().addPathSegment("v1").addPathSegments(path).build();
    }

    static boolean validPath(String path) {
        return PATH.matcher(path).matches() && !("/" + path + "/").contains("/../") && !("/" + path + "/").contains("/./");
    }

    private static String strip(String path) {
        String p = path.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static HttpUrl address(Parameters parameters, HttpUrl url) {
        if (url.encodedPath().startsWith("/v1/") || url.encodedPath().equals("/v1")) {
            throw parameters.invalid("'address' '" + url + "' ends in /v1; give the base address only "
                    + "(https://vault.example.com:8200), /v1/... is added for each call");
        }
        HttpUrl.Builder base = url.newBuilder().encodedPath("/");
        for (String segment : url.encodedPath().split("/")) {
            if (!segment.isEmpty()) {
                base.addEncodedPathSegment(segment);
            }
        }
        return base.build();
    }

    @Override
    public String toString() {
        return address + (namespace == null ? "" : " namespace " + namespace) + " auth/" + mount + " role " + role;
    }
}
