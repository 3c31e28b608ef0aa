package io.github.ephemeralcredentials.core.provider.oauth;

import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.Request;

/**
 * How this client proves itself to the token endpoint (RFC 6749 §2.3). The secret is never held here: only the
 * name of the environment variable that holds it, so a policy file, a {@code Revocation} handed to another process
 * and this record's {@code toString} never carry it.
 *
 * @param method    {@code client_secret_basic}, {@code client_secret_post} or {@code none}
 * @param clientId  the client id, or {@code null} for an anonymous request with method {@code none}
 * @param secretEnv the environment variable holding the client secret; {@code null} for {@code none}
 */
public record ClientAuthentication(Method method, String clientId, String secretEnv) {

    public enum Method {
        /** HTTP Basic with form-urlencoded id and secret (RFC 6749 §2.3.1). */
        CLIENT_SECRET_BASIC("client_secret_basic"),
        /** {@code client_id} and {@code client_secret} in the form body (RFC 6749 §2.3.1, discouraged). */
        CLIENT_SECRET_POST("client_secret_post"),
        /** A public client: {@code client_id} in the body if given, no secret (RFC 6749 §2.3, §3.2.1). */
        NONE("none");

        private final String wireName;

        Method(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static Method parse(String text, Parameters parameters) {
            for (Method m : values()) {
                if (m.wireName.equals(text)) {
                    return m;
                }
            }
            throw parameters.invalid("parameter 'client-auth' is '" + text
                    + "'; use client_secret_basic, client_secret_post or none");
        }
    }

    public static final String CLIENT_ID = "client-id";
    public static final String CLIENT_AUTH = "client-auth";
    public static final String CLIENT_SECRET_ENV = "client-secret-env";

    public ClientAuthentication {
        Objects.requireNonNull(method, "method");
        if (method != Method.NONE && (clientId == null || secretEnv == null)) {
            throw new IllegalArgumentException(method.wireName + " needs a client id and a secret variable");
        }
        if (method == Method.NONE && secretEnv != null) {
            throw new IllegalArgumentException("client authentication 'none' takes no secret");
        }
    }

    /**
     * Reads {@code client-id}, {@code client-auth} and {@code client-secret-env}. With a secret variable and no
     * explicit method, HTTP Basic is used: RFC 6749 §2.3.1 requires servers to support it.
     */
    /**
     * Refuses a secret written into the profile with a message that says where it belongs; called before the
     * unknown-name check, which would only suggest 'client-secret-env'. The value is never repeated.
     */
    static void refuseWrittenSecret(String provider, Map<String, Object> parameters) {
        if (parameters.containsKey("client-secret")) {
            throw ProviderException.invalidParameter(provider, Reason.INVALID_PARAMETERS, "client-secret", provider
                    + ": a client secret must not be written in the policy file; put it in an environment variable "
                    + "of the exchanging process and name that variable in 'client-secret-env'");
        }
    }

    static ClientAuthentication from(Parameters parameters) {
        String clientId = parameters.optional(CLIENT_ID).orElse(null);
        String secretEnv = parameters.optional(CLIENT_SECRET_ENV).orElse(null);
        Method method = parameters.optional(CLIENT_AUTH).map(m -> Method.parse(m, parameters))
                .orElse(secretEnv == null ? Method.NONE : Method.CLIENT_SECRET_BASIC);
        if (method != Method.NONE && clientId == null) {
            throw parameters.invalid("client-auth " + method.wireName + " needs 'client-id'");
        }
        if (method != Method.NONE && secretEnv == null) {
            throw parameters.invalid("client-auth " + method.wireName + " needs 'client-secret-env' naming the "
                    + "environment variable that holds the client secret");
        }
        if (method == Method.NONE && secretEnv != null) {
            throw parameters.invalid("client-auth none sends no secret, but 'client-secret-env' is set; remove one");
        }
        return new ClientAuthentication(method, clientId, secretEnv);
    }

    /**
     * Adds this authentication to a token or revocation request.
     *
     * @param form        the form fields being built; {@code client_id}/{@code client_secret} are added here
     *                    when the method puts them in the body
     * @param environment where the secret variable is read
     */
    void apply(String provider, Request.Builder request, Form form, Function<String, String> environment) {
        switch (method) {
            case NONE -> {
                if (clientId != null) {
                    form.add("client_id", clientId);
                }
            }
            case CLIENT_SECRET_POST -> {
                form.add("client_id", clientId);
                form.add("client_secret", secret(provider, environment));
            }
            case CLIENT_SECRET_BASIC -> {
                // RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64; many clients forget, and a
                // secret with ':' or '%' then fails only on some servers.
                String pair = formEncode(clientId) + ":" + formEncode(secret(provider, environment));
                request.header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private String secret(String provider, Function<String, String> environment) {
        String value = environment.apply(secretEnv);
        if (value == null || value.isEmpty()) {
            throw new ProviderException(provider, Reason.INVALID_PARAMETERS, null, provider + ": the client secret "
                    + "variable " + secretEnv + " (from 'client-secret-env') is not set or empty in this process; "
                    + "set it where the exchange runs (and in the cleanup step, which revokes with it)");
        }
        return value;
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The non-secret description stored in a {@code Revocation}, read back by {@link #fromRevocation}. */
    Map<String, String> toRevocationParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(CLIENT_AUTH, method.wireName);
        if (clientId != null) {
            p.put(CLIENT_ID, clientId);
        }
        if (secretEnv != null) {
            p.put(CLIENT_SECRET_ENV, secretEnv);
        }
        return p;
    }

    static ClientAuthentication fromRevocation(String provider, Map<String, String> parameters) {
        Map<String, Object> known = new LinkedHashMap<>();
        for (String key : new String[] {CLIENT_ID, CLIENT_AUTH, CLIENT_SECRET_ENV}) {
            if (parameters.get(key) != null) {
                known.put(key, parameters.get(key));
            }
        }
        return from(Parameters.of(provider, known));
    }
}
