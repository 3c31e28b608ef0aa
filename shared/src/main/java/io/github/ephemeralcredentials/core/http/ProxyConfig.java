package io.github.ephemeralcredentials.core.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which proxy the core's HTTP calls go through: none, an explicit one, or what the usual environment variables say
 * ({@code HTTPS_PROXY}/{@code https_proxy} for https URLs, {@code HTTP_PROXY}/{@code http_proxy} for http URLs,
 * {@code NO_PROXY}/{@code no_proxy} for exceptions), read the way curl reads them: a {@code NO_PROXY} entry matches
 * the host itself and its subdomains ({@code example.com} and {@code .example.com} alike), {@code *} matches every
 * host, an entry may carry {@code :port}. Proxy user info ({@code http://user:pass@proxy:3128}) is sent as Basic
 * proxy authentication and never printed.
 *
 * @param httpsProxy proxy for https URLs, or {@code null}
 * @param httpProxy  proxy for http URLs, or {@code null}
 * @param noProxy    hosts (with optional {@code :port}) reached directly
 */
public record ProxyConfig(URI httpsProxy, URI httpProxy, List<String> noProxy) {

    /** No proxy configured here: the JVM's default proxy selector applies (direct unless the JVM says otherwise). */
    public static final ProxyConfig NONE = new ProxyConfig(null, null, List.of());

    public ProxyConfig {
        check(httpsProxy);
        check(httpProxy);
        noProxy = List.copyOf(noProxy);
    }

    /** One proxy for every URL, except the {@code noProxy} hosts. */
    public static ProxyConfig explicit(URI proxy, List<String> noProxy) {
        return new ProxyConfig(Objects.requireNonNull(proxy, "proxy"), proxy, noProxy);
    }

    /**
     * A proxy given as host and port with optional credentials, and exceptions written as host patterns where
     * {@code *} is a wildcard (the form of Jenkins' proxy settings, split on spaces, commas, new lines or {@code |}).
     * {@code *.example.com} becomes the subdomain rule {@code .example.com}; a pattern with a wildcard elsewhere
     * cannot be honoured by host matching and is refused rather than silently sent through the proxy.
     */
    public static ProxyConfig hostAndPort(String host, int port, String user, String password, String noProxyPatterns) {
        if (host == null || host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("a proxy needs a host and a port between 1 and 65535; got '" + host
                    + "' and " + port);
        }
        String userInfo = user == null || user.isBlank() ? null : password == null ? user : user + ":" + password;
        URI proxy;
        try {
            proxy = new URI("http", userInfo, host.strip(), port, null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("proxy host '" + host + "' is not a host name");
        }
        List<String> entries = new ArrayList<>();
        if (noProxyPatterns != null) {
            for (String pattern : noProxyPatterns.split("[ \\t\\n,|]+")) {
                String entry = pattern.strip().toLowerCase(Locale.ROOT);
                if (entry.isEmpty()) {
                    continue;
                }
                if (entry.startsWith("*.")) {
                    entry = entry.substring(1);
                }
                if (!entry.equals("*") && entry.contains("*")) {
                    throw new IllegalArgumentException("no-proxy pattern '" + pattern + "' has a wildcard that only "
                            + "'*.domain' or '*' can express here; list the hosts or the domain instead");
                }
                entries.add(entry);
            }
        }
        return explicit(proxy, entries);
    }

    /** From {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (upper or lower case; lower wins, as in curl). */
    public static ProxyConfig fromEnvironment(Map<String, String> env) {
        URI https = uri(first(env, "https_proxy", "HTTPS_PROXY"), "HTTPS_PROXY");
        URI http = uri(first(env, "http_proxy", "HTTP_PROXY"), "HTTP_PROXY");
        String no = first(env, "no_proxy", "NO_PROXY");
        List<String> entries = new ArrayList<>();
        if (no != null) {
            for (String entry : no.split("[,\\s]+")) {
                if (!entry.isBlank()) {
                    entries.add(entry.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return new ProxyConfig(https, http, entries);
    }

    /** Whether {@code host:port} is reached without the proxy. */
    public boolean bypasses(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            String name = entry;
            int entryPort = -1;
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(':') == colon && entry.substring(colon + 1).matches("[0-9]+")) {
                name = entry.substring(0, colon);
                entryPort = Integer.parseInt(entry.substring(colon + 1));
            }
            if (entryPort != -1 && entryPort != port) {
                continue;
            }
            String domain = name.startsWith(".") ? name.substring(1) : name;
            if (domain.startsWith("[") && domain.endsWith("]")) {
                domain = domain.substring(1, domain.length() - 1);
            }
            if (h.equals(domain) || h.endsWith("." + domain)) {
                return true;
            }
        }
        return false;
    }

    /** A selector applying this configuration; {@code null} means "no proxy at all" for OkHttp. */
    ProxySelector selector() {
        if (httpsProxy == null && httpProxy == null) {
            return null;
        }
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                URI proxy = "https".equalsIgnoreCase(uri.getScheme()) ? httpsProxy : httpProxy;
                int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
                if (proxy == null || bypasses(uri.getHost(), port)) {
                    return List.of(Proxy.NO_PROXY);
                }
                int proxyPort = proxy.getPort() != -1 ? proxy.getPort() : "https".equalsIgnoreCase(proxy.getScheme()) ? 443 : 80;
                return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.getHost(), proxyPort)));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                // OkHttp reports the failure itself.
            }
        };
    }

    private static void check(URI proxy) {
        if (proxy != null && (proxy.getHost() == null
                || !("http".equalsIgnoreCase(proxy.getScheme()) || "https".equalsIgnoreCase(proxy.getScheme())))) {
            throw new IllegalArgumentException("proxy '" + redacted(proxy) + "' must be an http:// URL with a host, "
                    + "e.g. http://proxy.example.com:3128");
        }
    }

    private static URI uri(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        // curl accepts "proxy:3128" without a scheme; so do we.
        if (!v.contains("://")) {
            v = "http://" + v;
        }
        try {
            return new URI(v);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a URL (" + e.getReason() + "); set it like "
                    + "http://proxy.example.com:3128");
        }
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    static String redacted(URI uri) {
        return uri == null ? "none" : uri.getScheme() + "://" + (uri.getRawUserInfo() != null ? "****@" : "")
                + uri.getHost() + (uri.getPort() != -1 ? ":" + uri.getPort() : "");
    }

    @Override
    public String toString() {
        return "ProxyConfig[https=" + redacted(httpsProxy) + ", http=" + redacted(httpProxy) + ", noProxy=" + noProxy + "]";
    }
}
