package io.github.ephemeralcredentials.core.provider.vault;

import io.github.ephemeralcredentials.core.provider.Parameters;
import java.net.InetAddress;
import java.util.Locale;
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
        HttpUrl address = address(parameters, parameters.required("address", "https://vault.example.com:8200"));
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

    private static HttpUrl address(Parameters parameters, String text) {
        HttpUrl url = HttpUrl.parse(text);
        if (url == null) {
            throw parameters.invalid("'address' '" + text + "' is not a URL; write it with its scheme, like "
                    + "https://vault.example.com:8200 (the value of VAULT_ADDR)");
        }
        if (!url.username().isEmpty() || !url.password().isEmpty() || url.query() != null || url.fragment() != null) {
            throw parameters.invalid("'address' must be a plain base URL without user info, query or fragment, "
                    + "like https://vault.example.com:8200");
        }
        if (url.encodedPath().startsWith("/v1/") || url.encodedPath().equals("/v1")) {
            throw parameters.invalid("'address' '" + text + "' ends in /v1; give the base address only "
                    + "(https://vault.example.com:8200), /v1/... is added for each call");
        }
        if (!url.isHttps() && !loopback(url.host())) {
            throw parameters.invalid("'address' '" + text + "' uses http: the CI token and the Vault token would "
                    + "cross the network in clear; use https (plain http is accepted only for 127.0.0.1/localhost)");
        }
        String path = url.encodedPath();
        HttpUrl.Builder base = url.newBuilder().encodedPath("/");
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                base.addEncodedPathSegment(segment);
            }
        }
        return base.build();
    }

    private static boolean loopback(String host) {
        if (host.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        try {
            return (host.matches("[0-9.]+") || host.contains(":")) && InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return address + (namespace == null ? "" : " namespace " + namespace) + " auth/" + mount + " role " + role;
    }
}
