package io.github.ephemeralcredentials.core.provider.broker;

import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The token-exchange service's answer, written: RFC 8693 §2.2.1 plus the whole credential, the document
 * {@link BrokerProvider} reads back. Writer and reader live here together, so the format has one definition.
 */
public final class AnswerDocument {

    public static final String ISSUED_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private AnswerDocument() {
    }

    /** The credential's primary secret: what the answer names {@code access_token} and the service revokes by. */
    public static String accessToken(EphemeralCredential credential) {
        return credential.values().stream().filter(CredentialValue::secret).findFirst()
                .or(() -> credential.values().stream().findFirst()).map(CredentialValue::value)
                .orElseThrow(() -> new IllegalStateException("provider " + credential.provider() + " issued no value"));
    }

    /** The answer as plain maps and lists, for any JSON writer. */
    public static Map<String, Object> of(EphemeralCredential credential, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken(credential));
        body.put("issued_token_type", ISSUED_TOKEN_TYPE);
        // Not necessarily an OAuth access token (an AWS session, say): RFC 8693 §2.2.1 says N_A then.
        body.put("token_type", "N_A");
        body.put("expires_in", Math.max(0, Duration.between(now, credential.expiresAt()).toSeconds()));
        Map<String, Object> whole = new LinkedHashMap<>();
        whole.put("provider", credential.provider());
        whole.put("expires_at", credential.expiresAt().toString());
        List<Map<String, Object>> values = new ArrayList<>();
        for (CredentialValue v : credential.values()) {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("name", v.name());
            value.put("value", v.value());
            value.put("secret", v.secret());
            value.put("env", v.envVar());
            values.add(value);
        }
        whole.put("values", values);
        whole.put("facts", credential.facts());
        body.put("credential", whole);
        return body;
    }
}
