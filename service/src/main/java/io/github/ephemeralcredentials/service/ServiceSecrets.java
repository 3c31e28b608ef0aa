package io.github.ephemeralcredentials.service;

import io.github.ephemeralcredentials.service.config.ServiceConfig.SecretSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.Map;
import java.util.function.Function;

/**
 * What a profile's {@code *-env} names resolve to in the service: only the secrets its configuration lists, read from
 * the service's own files or environment. Never anything a request carries.
 */
final class ServiceSecrets implements Function<String, String> {

    /** A PEM key or a client secret is a few KiB; a larger "secret" is a wrong path (or /dev/zero). */
    static final int MAX_BYTES = 64 * 1024;

    private final Map<String, SecretSource> sources;
    private final Function<String, String> environment;

    ServiceSecrets(Map<String, SecretSource> sources, Function<String, String> environment) {
        this.sources = Map.copyOf(sources);
        this.environment = environment;
    }

    /** @return the secret, or {@code null} when the configuration names none such (the provider says what to do) */
    @Override
    public String apply(String name) {
        SecretSource source = sources.get(name);
        if (source == null) {
            return null;
        }
        if (source.environmentVariable() != null) {
            return environment.apply(source.environmentVariable());
        }
        try {
            if (!Files.isRegularFile(source.file(), LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException("secret '" + name + "' (" + source + ") is not a regular file");
            }
            try (InputStream in = Files.newInputStream(source.file(), LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = in.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new IllegalStateException("secret '" + name + "' (" + source + ") is larger than "
                            + MAX_BYTES + " bytes; point it at the key or secret itself");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("secret '" + name + "' (" + source + ") cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
