package io.github.ephemeralcredentials.service;

import io.github.ephemeralcredentials.core.oidc.IssuerServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * What a service under test reads and is asked, for the tests that need nothing special: a policy whose one
 * {@code jwt} profile is for {@code acme/app}, a configuration, a CI token and an exchange.
 */
final class ServiceFiles {

    static final String PROFILE = "internal-api";
    static final String AUDIENCE = "https://api.internal.example";

    private ServiceFiles() {
    }

    /** {@code policy.yaml}: profile {@link #PROFILE} (a JWT for {@link #AUDIENCE}) for acme/app tokens of {@code issuer}. */
    static void jwtPolicy(Path dir, String issuer) throws java.io.IOException {
        Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                profiles:
                  %s: {provider: jwt, maxLifetime: 5m, parameters: {audience: %s}}
                rules:
                  - {name: acme, issuer: "%s", profiles: [%s], claims: {repository: acme/app}}
                """.formatted(PROFILE, AUDIENCE, issuer, PROFILE));
    }

    /** A configuration file {@code name} for {@code policy.yaml}, with {@code extra} lines of YAML appended. */
    static Path config(Path dir, String name, int port, String url, String issuer, String extra)
            throws java.io.IOException {
        return Files.writeString(dir.resolve(name), """
                listen: 127.0.0.1:%d
                url: %s
                trust: [%s]
                policy: policy.yaml
                %s
                """.formatted(port, url, issuer, extra));
    }

    /** A CI token of {@code repository}'s main branch, for the service at {@code url}. */
    static String token(IssuerServer ci, String url, String repository) {
        return ci.issuer().mint("repo:" + repository + ":ref:refs/heads/main", List.of(url), Duration.ofMinutes(5),
                Map.of("repository", repository));
    }

    /** {@code POST /token} for {@link #PROFILE}. */
    static Response exchange(OkHttpClient http, String base, String token) throws java.io.IOException {
        return http.newCall(new Request.Builder().url(base + "/token").post(new FormBody.Builder()
                .add("grant_type", TokenEndpoint.GRANT_TYPE).add("subject_token", token)
                .add("subject_token_type", "urn:ietf:params:oauth:token-type:jwt").add("audience", PROFILE)
                .build()).build()).execute();
    }
}
