package io.github.ephemeralcredentials.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How {@code exchange} prints a credential on stdout. */
enum CredentialFormat {

    /** {@code export NAME='value'} lines for {@code eval}. */
    ENV {
        @Override
        String render(EphemeralCredential credential) {
            StringBuilder out = new StringBuilder();
            credential.environment().forEach((name, value) -> {
                if (!ENV_NAME.matcher(name).matches()) {
                    throw new IllegalStateException("provider produced an invalid variable name " + name);
                }
                out.append("export ").append(name).append("='").append(value.replace("'", "'\\''")).append("'\n");
            });
            return out.toString();
        }
    },
    JSON {
        @Override
        String render(EphemeralCredential credential) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("provider", credential.provider());
            doc.put("expiration", credential.expiresAt().toString());
            Map<String, String> values = new LinkedHashMap<>();
            credential.values().forEach(v -> values.put(v.name(), v.value()));
            doc.put("values", values);
            doc.put("env", credential.environment());
            doc.put("facts", credential.facts());
            return write(doc);
        }
    },
    /** The AWS CLI/SDK {@code credential_process} document (Version 1). */
    CREDENTIAL_PROCESS {
        @Override
        String render(EphemeralCredential credential) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("Version", 1);
            doc.put("AccessKeyId", required(credential, "aws-access-key-id"));
            doc.put("SecretAccessKey", required(credential, "aws-secret-access-key"));
            doc.put("SessionToken", required(credential, "aws-session-token"));
            doc.put("Expiration", credential.expiresAt().toString());
            return write(doc);
        }
    };

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    abstract String render(EphemeralCredential credential);

    private static String required(EphemeralCredential credential, String name) {
        return credential.value(name).map(CredentialValue::value).orElseThrow(() -> CommandFailure.badInput(
                "the aws credential has no " + name + " (a web-identity-file profile hands out no keys); use "
                        + "--format env or json"));
    }

    private static String write(Object doc) {
        try {
            return MAPPER.writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code env}, {@code json}, {@code credential-process}. */
    static final class Converter implements ITypeConverter<CredentialFormat> {
        @Override
        public CredentialFormat convert(String value) {
            try {
                return valueOf(value.replace('-', '_').toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a format; use env, json or credential-process");
            }
        }
    }
}
