package io.github.ephemeralcredentials.core.provider.broker;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.oauth.TokenEndpoint;
import io.github.ephemeralcredentials.core.provider.oauth.TokenResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * The service's successful answer as the credential the host hands out. The service answers RFC 8693 §2.2.1 with one
 * more member, {@code credential}, the credential its profile's provider issued:
 *
 * <pre>{@code
 * {"access_token":"<the credential's primary secret>","issued_token_type":"urn:ietf:params:oauth:token-type:access_token",
 *  "token_type":"N_A","expires_in":900,
 *  "credential":{"provider":"github-app","expires_at":"2030-01-01T00:15:00Z",
 *    "values":[{"name":"token","value":"ghs_…","secret":true,"env":"GH_TOKEN"}, ...],
 *    "facts":{"principal":"…","scope":"…"}}}
 * }</pre>
 *
 * Everything in it is checked before anything is built: a value with no name, an environment variable that is not a
 * name or that would steer the job's later steps ({@link ExportedNames}), an expiry that is missing, unreadable or
 * past, and the whole answer is refused; nothing partial is handed out. Without {@code credential} (a plain RFC 8693
 * server) the access token is the credential. Messages never repeat a value.
 */
final class ServiceAnswer {

    /** Names of values and facts: they become step outputs and file-command names, so nothing exotic. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final int MAX_ENTRIES = 64;

    private final HttpUrl endpoint;

    ServiceAnswer(HttpUrl endpoint) {
        this.endpoint = endpoint;
    }

    EphemeralCredential credential(TokenEndpoint.Answer answer, String url, String profile, Instant now) {
        TokenResponse token = answer.token();
        JsonNode credential = answer.body().get("credential");
        Revocation revocation = new Revocation(BrokerProvider.ID, BrokerProvider.REVOCATION_KIND,
                Map.of("url", url, "token", token.accessToken()));
        if (credential == null || credential.isNull()) {
            return plain(token, profile, revocation);
        }
        if (!credential.isObject()) {
            throw unexpected("'credential' that is not an object");
        }
        String provider = text(credential, "provider");
        if (provider == null || !PROVIDER.matcher(provider).matches()) {
            throw unexpected("a credential without a provider id (lower-case letters, digits and '-')");
        }
        Instant expiresAt = expiry(credential, now);
        List<CredentialValue> values = values(credential.get("values"));
        if (values.stream().noneMatch(v -> v.secret() && v.value().equals(token.accessToken()))) {
            throw unexpected("an access_token that is none of the credential's secret values (the service hands out "
                    + "the credential's primary secret as access_token, and revokes by it)");
        }
        Map<String, String> facts = facts(credential.get("facts"));
        facts.put("service-provider", provider);
        facts.put("profile", profile);
        return new EphemeralCredential(BrokerProvider.ID, values, facts, expiresAt, List.of(revocation), List.of());
    }

    /** A server that answers RFC 8693 alone: the access token, exported as {@code ACCESS_TOKEN}. */
    private EphemeralCredential plain(TokenResponse token, String profile, Revocation revocation) {
        if (token.expiresAt() == null) {
            throw unexpected("an access token without expires_in, so nobody could tell when it ends");
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("profile", profile);
        if (token.scope() != null) {
            facts.put("scope", token.scope());
        }
        return new EphemeralCredential(BrokerProvider.ID,
                List.of(CredentialValue.secret("access-token", token.accessToken(), "ACCESS_TOKEN")), facts,
                token.expiresAt(), List.of(revocation), List.of());
    }

    private Instant expiry(JsonNode credential, Instant now) {
        String text = text(credential, "expires_at");
        if (text == null) {
            throw unexpected("a credential without expires_at, so nobody could tell when it ends");
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw unexpected("a credential whose expires_at is not an ISO-8601 instant (e.g. 2030-01-01T00:15:00Z)");
        }
        if (!expiresAt.isAfter(now)) {
            throw unexpected("a credential that expired at " + expiresAt + " (it is now " + now + "); check the "
                    + "service's clock");
        }
        return expiresAt;
    }

    private List<CredentialValue> values(JsonNode array) {
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw unexpected("a credential without values");
        }
        if (array.size() > MAX_ENTRIES) {
            throw unexpected("a credential of " + array.size() + " values (at most " + MAX_ENTRIES + ")");
        }
        List<CredentialValue> values = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> variables = new HashSet<>();
        for (JsonNode entry : array) {
            if (!entry.isObject()) {
                throw unexpected("a credential value that is not an object");
            }
            String name = text(entry, "name");
            if (name == null || !NAME.matcher(name).matches()) {
                throw unexpected("a credential value without a name of letters, digits, '.', '_' and '-'");
            }
            if (!names.add(name)) {
                throw unexpected("the credential value '" + name + "' twice");
            }
            JsonNode value = entry.get("value");
            if (value == null || !value.isTextual()) {
                throw unexpected("the credential value '" + name + "' without a string value");
            }
            JsonNode secret = entry.get("secret");
            if (secret != null && !secret.isNull() && !secret.isBoolean()) {
                throw unexpected("the credential value '" + name + "' whose 'secret' is not true or false");
            }
            // An unmarked value is a secret: masking one too many is harmless, one too few is not.
            boolean isSecret = secret == null || secret.isNull() || secret.booleanValue();
            if (isSecret && value.textValue().isEmpty()) {
                throw unexpected("the secret value '" + name + "' empty");
            }
            String env = env(entry, name);
            if (env != null && !variables.add(env)) {
                throw unexpected("two values exported as " + env);
            }
            values.add(new CredentialValue(name, value.textValue(), isSecret, env));
        }
        return values;
    }

    private String env(JsonNode entry, String name) {
        JsonNode env = entry.get("env");
        if (env == null || env.isNull()) {
            return null;
        }
        if (!env.isTextual()) {
            throw unexpected("the credential value '" + name + "' whose 'env' is not a string");
        }
        String variable = env.textValue();
        ExportedNames.problem(variable).ifPresent(problem -> {
            // A name that is not a name is not repeated: it could be anything, a secret included.
            throw unexpected("the credential value '" + name + "' to be exported as "
                    + (variable.matches("[A-Za-z0-9_]{1,128}") ? variable : "a variable that") + ", which " + problem);
        });
        return variable;
    }

    private Map<String, String> facts(JsonNode object) {
        Map<String, String> facts = new LinkedHashMap<>();
        if (object == null || object.isNull()) {
            return facts;
        }
        if (!object.isObject() || object.size() > MAX_ENTRIES) {
            throw unexpected("credential facts that are not an object of at most " + MAX_ENTRIES + " members");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> fact = it.next();
            if (!NAME.matcher(fact.getKey()).matches()) {
                throw unexpected("a credential fact without a name of letters, digits, '.', '_' and '-'");
            }
            JsonNode value = fact.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw unexpected("the credential fact '" + fact.getKey() + "' that is not a single value");
            }
            facts.put(fact.getKey(), value.asText());
        }
        return facts;
    }

    private ProviderException unexpected(String what) {
        return new ProviderException(BrokerProvider.ID, Reason.UNEXPECTED_RESPONSE, null, BrokerProvider.ID + ": "
                + endpoint + " answered " + what + "; nothing was handed out. Check that the URL is the project's "
                + "token-exchange service (ephemeral-credentials serve) and that its version matches this one");
    }

    private static String text(JsonNode json, String name) {
        JsonNode node = json.get(name);
        return node == null || !node.isTextual() || node.textValue().isEmpty() ? null : node.textValue();
    }
}
