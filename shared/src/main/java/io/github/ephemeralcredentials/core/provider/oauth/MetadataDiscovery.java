package io.github.ephemeralcredentials.core.provider.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Finds an authorization server's endpoints from its issuer: OpenID Connect Discovery
 * ({@code {issuer}/.well-known/openid-configuration}) first, then RFC 8414 ({@code /.well-known/oauth-authorization-server}
 * inserted before the issuer's path, §3.1). The document's {@code issuer} must equal the configured one exactly
 * (RFC 8414 §3.3): otherwise an attacker who can serve a document could point us at their token endpoint.
 */
public final class MetadataDiscovery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 256 * 1024;

    private final String provider;
    private final OkHttpClient http;

    public MetadataDiscovery(String provider, OkHttpClient http) {
        this.provider = provider;
        this.http = http;
    }

    public ServerMetadata discover(String issuer) {
        HttpUrl base = EndpointUrl.parse(provider, "issuer", issuer, Reason.INVALID_PARAMETERS);
        String path = base.encodedPath().equals("/") ? "" : base.encodedPath().replaceAll("/+$", "");
        String root = base.scheme() + "://" + base.host() + (base.port() == HttpUrl.defaultPort(base.scheme()) ? "" : ":" + base.port());
        List<String> candidates = List.of(
                root + path + "/.well-known/openid-configuration",
                root + "/.well-known/oauth-authorization-server" + path);
        for (String candidate : candidates) {
            JsonNode doc = fetch(candidate);
            if (doc != null) {
                return read(issuer, candidate, doc);
            }
        }
        throw new ProviderException(provider, Reason.INVALID_PARAMETERS, null, provider + ": no authorization server "
                + "metadata at " + candidates + " (both answered 404); check 'issuer', or give 'token-endpoint' directly");
    }

    private JsonNode fetch(String url) {
        Request request = new Request.Builder().url(url).header("Accept", "application/json").get().build();
        try (Response response = http.newCall(request).execute()) {
            if (response.code() == 404) {
                return null;
            }
            if (response.code() == 429 || response.code() >= 500) {
                throw new ProviderException(provider, Reason.UNAVAILABLE, String.valueOf(response.code()),
                        provider + ": metadata " + url + " answered HTTP " + response.code() + "; try again later");
            }
            if (!response.isSuccessful()) {
                throw new ProviderException(provider, Reason.UNEXPECTED_RESPONSE, String.valueOf(response.code()),
                        provider + ": metadata " + url + " answered HTTP " + response.code() + "; check 'issuer'");
            }
            JsonNode doc = JSON.readTree(HttpClients.readLimited(response.body(), MAX_BYTES));
            if (doc == null || !doc.isObject()) {
                throw new ProviderException(provider, Reason.UNEXPECTED_RESPONSE, null,
                        provider + ": metadata " + url + " is not a JSON object");
            }
            return doc;
        } catch (HttpClients.BodyTooLargeException e) {
            throw new ProviderException(provider, Reason.UNEXPECTED_RESPONSE, null,
                    provider + ": metadata " + url + " is larger than " + e.limit() + " bytes", e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProviderException(provider, Reason.UNEXPECTED_RESPONSE, null,
                    provider + ": metadata " + url + " is not valid JSON", e);
        } catch (IOException e) {
            throw new ProviderException(provider, Reason.UNAVAILABLE, null,
                    provider + ": could not fetch metadata " + url + ": " + e.getMessage(), e);
        }
    }

    private ServerMetadata read(String issuer, String url, JsonNode doc) {
        String advertised = doc.path("issuer").asText(null);
        if (!issuer.equals(advertised)) {
            throw new ProviderException(provider, Reason.UNEXPECTED_RESPONSE, null, provider + ": metadata " + url
                    + " names issuer '" + advertised + "', not the configured '" + issuer + "'; they must be equal "
                    + "exactly (scheme, host, path, trailing slash)");
        }
        String token = doc.path("token_endpoint").asText(null);
        if (token == null) {
            throw new ProviderException(provider, Reason.UNEXPECTED_RESPONSE, null, provider + ": metadata " + url
                    + " has no token_endpoint; give 'token-endpoint' directly");
        }
        String revocation = doc.path("revocation_endpoint").asText(null);
        return new ServerMetadata(issuer,
                EndpointUrl.parse(provider, "token_endpoint from " + url, token, Reason.UNEXPECTED_RESPONSE),
                revocation == null ? null
                        : EndpointUrl.parse(provider, "revocation_endpoint from " + url, revocation, Reason.UNEXPECTED_RESPONSE));
    }
}
