package io.github.ephemeralcredentials.core.policy;

import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.oidc.Claims;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Test resources: real-shaped CI token claims and policy files. */
final class Fixtures {

    private Fixtures() {
    }

    static Claims claims(String name) {
        return Claims.fromJson(resource("/policy/claims/" + name + ".json"));
    }

    static String resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String resource) {
        try {
            return Path.of(Fixtures.class.getResource(resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Policy ciPolicy() {
        return PolicyLoader.load(path("/policy/ci-policy.yaml"), Providers.descriptors());
    }
}
