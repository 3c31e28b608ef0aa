package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.aws.AwsDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A test double of the {@link CredentialProvider} interface (not of any service): it hands out canary secrets shaped
 * to break careless hosts — multi-line, holding {@code =}, {@code <<}, {@code %} — so the host's masking, escaping
 * and export can be checked byte for byte. Real providers against real peers are in the end-to-end tests.
 */
class CanaryProvider implements CredentialProvider {

    static final String KEY_ID = "ASIACANARY0000000001";
    static final String SECRET = "canary-secret/+=%0A<<EOF==";
    static final String SESSION = "canary-session-line-1\ncanary-session-line-2 = x\n";
    /** Held only by the revocation (an OAuth refresh token): never one of the credential's values. */
    static final String REFRESH = "canary-refresh-%0A::x";
    static final Instant EXPIRES = Instant.parse("2030-01-01T00:15:00Z");

    final List<ExchangeRequest> requests = Collections.synchronizedList(new ArrayList<>());
    final List<Revocation> revoked = Collections.synchronizedList(new ArrayList<>());
    volatile ProviderException failure;
    volatile Path file;

    static List<String> secrets() {
        return List.of(SECRET, SESSION, REFRESH);
    }

    @Override
    public String id() {
        return "aws";
    }

    @Override
    public ProviderDescriptor descriptor() {
        return AwsDescriptor.DESCRIPTOR;
    }

    @Override
    public EphemeralCredential exchange(ExchangeRequest request) {
        requests.add(request);
        String token = request.ciToken().get();
        if (failure != null) {
            throw failure;
        }
        if (token.isBlank()) {
            throw new IllegalStateException("no token");
        }
        return new EphemeralCredential("aws",
                List.of(CredentialValue.secret("aws-access-key-id", KEY_ID, "AWS_ACCESS_KEY_ID"),
                        CredentialValue.secret("aws-secret-access-key", SECRET, "AWS_SECRET_ACCESS_KEY"),
                        CredentialValue.secret("aws-session-token", SESSION, "AWS_SESSION_TOKEN"),
                        CredentialValue.plain("aws-region", "eu-west-1", "AWS_REGION")),
                Map.of("principal", "arn:aws:sts::123456789012:assumed-role/deploy/run-1",
                        "aws-account-id", "123456789012"),
                EXPIRES,
                List.of(new Revocation("aws", "canary", Map.of("token", SECRET, "refresh_token", REFRESH))),
                file == null ? List.of() : List.of(file));
    }

    @Override
    public void revoke(Revocation revocation) {
        revoked.add(revocation);
    }

    Path writeFile(Path dir) throws java.io.IOException {
        file = Files.writeString(dir.resolve(CredentialFiles.NAME_PREFIX + "canary.json"), "{\"secret\":\"" + SECRET + "\"}");
        return file;
    }
}
