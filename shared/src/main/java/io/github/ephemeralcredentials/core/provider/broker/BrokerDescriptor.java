package io.github.ephemeralcredentials.core.provider.broker;

import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.STRING;

import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The client of the project's token-exchange service as data (see {@link BrokerProvider}). A class of its own so that
 * reading it loads none of the provider's code.
 */
public final class BrokerDescriptor {

    /** The GitHub Action input that carries {@code url}, and whose presence names this provider. */
    static final String URL_INPUT = "broker-url";

    /**
     * The service's profile decides the lifetime; twelve hours is the longest any provider behind it issues (AWS), so
     * a profile here caps what the job is told rather than what the service issues.
     */
    static final Duration MAX_LIFETIME = Duration.ofHours(12);

    public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("broker",
            "the project's token-exchange service (ephemeral-credentials serve), which verifies the CI token, applies "
                    + "its own trust policy and issues the profile's credential",
            List.of(
                    ParameterSpec.required("url", STRING, "the token-exchange service's base URL (https; plain http "
                            + "only on loopback); the CI token's aud by default").withActionInput(URL_INPUT),
                    // The action's general `profile` input: with broker-url it names the service's profile.
                    ParameterSpec.required("profile", STRING, "the profile of the service's trust policy to ask for")
                            .withActionInput("profile")),
            List.of(), Duration.ofSeconds(1), parameters -> MAX_LIFETIME, BrokerDescriptor::defaultAudience,
            // The service verifies the CI token before its policy decides.
            true, null, Set.of(URL_INPUT), null)
            .exporting(ExportedNames::mayExport);

    private BrokerDescriptor() {
    }

    /** The service expects CI tokens whose {@code aud} is its own URL. */
    static Optional<String> defaultAudience(Map<String, Object> parameters) {
        return parameters.get("url") instanceof String s && !s.isBlank() ? Optional.of(s.strip()) : Optional.empty();
    }
}
