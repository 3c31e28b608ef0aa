package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.action.ActionException.Reason;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import okhttp3.OkHttpClient;

/** What the steps share: the HTTP client, the retry rule, and the providers by id. */
public record ActionRuntime(OkHttpClient http, Retries retries, Map<String, CredentialProvider> providers) {

    public ActionRuntime {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(retries, "retries");
        // Kept, not copied: copying iterates the entries, which builds all seven providers (Providers.standard
        // builds each on first use), and that was a fifth of the container's start-up.
        providers = Collections.unmodifiableMap(providers);
    }

    public CredentialProvider provider(String id) {
        CredentialProvider provider = providers.get(id);
        if (provider == null) {
            throw new ActionException(Reason.INVALID_INPUT, "unknown provider '" + id + "'; use one of "
                    + String.join(", ", new TreeSet<>(providers.keySet())));
        }
        return provider;
    }
}
