package io.github.ephemeralcredentials.core.oidc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.oidc.OidcException.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.CacheControl;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Public keys per issuer, found through the issuer's discovery document. Thread-safe.
 *
 * <p>Rotation-aware: a token whose {@code kid} is not cached triggers one refetch, at most once per
 * {@link Settings#unknownKeyRefetchInterval()} per issuer, so a flood of forged kids cannot turn us into a
 * load generator against the issuer. Outage-tolerant: when a refresh fails, keys fetched within
 * {@link Settings#staleGrace()} keep verifying. Single-flight: concurrent callers wait for one fetch.
 */
public final class JwksCache {

    /**
     * @param minTtl                    lower bound on the freshness taken from {@code Cache-Control}
     * @param maxTtl                    upper bound on the same
     * @param unknownKeyRefetchInterval how often an unknown {@code kid} may trigger a refetch
     * @param staleGrace                how long keys keep verifying after their last successful fetch when the
     *                                  endpoint is down
     * @param maxDocumentBytes          discovery and JWKS bodies larger than this are refused
     */
    public record Settings(Duration minTtl, Duration maxTtl, Duration unknownKeyRefetchInterval,
                           Duration staleGrace, long maxDocumentBytes) {
        public static final Settings DEFAULT = new Settings(Duration.ofMinutes(5), Duration.ofHours(24),
                Duration.ofSeconds(30), Duration.ofHours(24), 512 * 1024);

        public Settings {
            Objects.requireNonNull(minTtl);
            Objects.requireNonNull(maxTtl);
            Objects.requireNonNull(unknownKeyRefetchInterval);
            Objects.requireNonNull(staleGrace);
            if (maxTtl.compareTo(minTtl) < 0) {
                throw new IllegalArgumentException("maxTtl " + maxTtl + " is shorter than minTtl " + minTtl);
            }
        }

        public Settings withStaleGrace(Duration grace) {
            return new Settings(minTtl, maxTtl, unknownKeyRefetchInterval, grace, maxDocumentBytes);
        }
    }

    private record Entry(JWKSet keys, Instant fetchedAt, Instant freshUntil, Instant lastAttempt,
                         Map<String, List<JWK>> selections) {
        Entry(JWKSet keys, Instant fetchedAt, Instant freshUntil, Instant lastAttempt) {
            this(keys, fetchedAt, freshUntil, lastAttempt, new ConcurrentHashMap<>());
        }

        /** Remembers selections per kid and alg: matching the set anew costs more than a signature check's share. */
        List<JWK> select(String kid, JWSAlgorithm alg) {
            if (selections.size() > 256) {
                // Forged kids must not grow the memo without bound.
                selections.clear();
            }
            return selections.computeIfAbsent(kid + "\u0000" + alg.getName(), k -> JwksCache.select(keys, kid, alg));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OkHttpClient http;
    private final Settings settings;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public JwksCache(OkHttpClient http, Settings settings, Clock clock) {
        this.http = Objects.requireNonNull(http);
        this.settings = Objects.requireNonNull(settings);
        this.clock = Objects.requireNonNull(clock);
    }

    /** When the keys of {@code issuer} were last fetched successfully, for health and metrics; empty before that. */
    public Optional<Instant> fetchedAt(String issuer) {
        Entry entry = entries.get(issuer);
        return entry == null ? Optional.empty() : Optional.of(entry.fetchedAt());
    }

    /**
     * Keys of {@code issuer} that may have signed a token with this {@code kid} and {@code alg}: the key with that
     * kid, or, for a token without kid, every signing key of the algorithm's type. Empty when none, after at most
     * one refetch.
     */
    public List<JWK> candidates(String issuer, String kid, JWSAlgorithm alg) {
        return lookup(issuer, kid, alg).keys();
    }

    /**
     * The keys found, and whether a refetch for them was held back.
     *
     * @param refetchAllowedAt when the key set was not fetched again because the last attempt was within
     *                         {@link Settings#unknownKeyRefetchInterval()}: when it may be; empty when it was fetched
     *                         (or the keys were found without)
     */
    public record Lookup(List<JWK> keys, Optional<Instant> refetchAllowedAt) {
        public Lookup {
            keys = List.copyOf(keys);
        }
    }

    /** As {@link #candidates}, saying whether the refetch was held back, so a refusal can say what was checked. */
    public Lookup lookup(String issuer, String kid, JWSAlgorithm alg) {
        Instant now = clock.instant();
        Entry entry = entries.get(issuer);
        return cached(entry, now, kid, alg).orElseGet(() -> new Lookup(refresh(issuer, entry, now).select(kid, alg),
                Optional.empty()));
    }

    /**
     * What {@link #lookup} would answer if it can answer without fetching: the issuer's keys are cached and fresh,
     * and either hold this {@code kid} or may not be fetched again yet. Empty when {@link #lookup} would fetch, so a
     * thread that must not wait (an HTTP selector) can hand the token to one that may.
     */
    public Optional<Lookup> cached(String issuer, String kid, JWSAlgorithm alg) {
        return cached(entries.get(issuer), clock.instant(), kid, alg);
    }

    private Optional<Lookup> cached(Entry entry, Instant now, String kid, JWSAlgorithm alg) {
        if (entry == null || !now.isBefore(entry.freshUntil())) {
            return Optional.empty();
        }
        List<JWK> found = entry.select(kid, alg);
        if (!found.isEmpty()) {
            return Optional.of(new Lookup(found, Optional.empty()));
        }
        Instant refetchAllowedAt = entry.lastAttempt().plus(settings.unknownKeyRefetchInterval());
        return now.isBefore(refetchAllowedAt)
                ? Optional.of(new Lookup(found, Optional.of(refetchAllowedAt)))
                : Optional.empty();
    }

    private Entry refresh(String issuer, Entry seen, Instant now) {
        ReentrantLock lock = locks.computeIfAbsent(issuer, i -> new ReentrantLock());
        lock.lock();
        try {
            Entry current = entries.get(issuer);
            if (current != seen) {
                // Another caller refreshed while we waited for the lock: use its result, do not fetch again.
                if (current != null) {
                    return current;
                }
            }
            try {
                Fetched fetched = fetch(issuer);
                Entry fresh = new Entry(fetched.keys(), now, now.plus(fetched.ttl()), now);
                entries.put(issuer, fresh);
                return fresh;
            } catch (OidcException e) {
                if (seen != null && now.isBefore(seen.fetchedAt().plus(settings.staleGrace()))) {
                    // Keep verifying with what we had; try the endpoint again after the refetch interval.
                    Entry stale = new Entry(seen.keys(), seen.fetchedAt(),
                            now.plus(settings.unknownKeyRefetchInterval()), now, seen.selections());
                    entries.put(issuer, stale);
                    return stale;
                }
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private record Fetched(JWKSet keys, Duration ttl) {
    }

    private Fetched fetch(String issuer) {
        String discoveryUrl = stripTrailingSlash(issuer) + "/.well-known/openid-configuration";
        JsonNode discovery;
        try {
            discovery = JSON.readTree(get(discoveryUrl, "discovery document").body());
        } catch (IOException e) {
            throw new OidcException(Reason.JWKS_INVALID, "the discovery document at " + discoveryUrl
                    + " is not JSON; check that the issuer URL '" + issuer + "' is an OIDC issuer", e);
        }
        if (discovery == null || !discovery.isObject()) {
            throw new OidcException(Reason.JWKS_INVALID, "the discovery document at " + discoveryUrl
                    + " is not a JSON object; check that the issuer URL '" + issuer + "' is an OIDC issuer");
        }
        String advertisedIssuer = discovery.path("issuer").asText(null);
        if (!issuer.equals(advertisedIssuer)) {
            throw new OidcException(Reason.JWKS_INVALID, "the discovery document at " + discoveryUrl
                    + " names issuer '" + advertisedIssuer + "', expected exactly '" + issuer
                    + "'; configure the issuer URL exactly as the issuer writes it in its tokens");
        }
        String jwksUri = discovery.path("jwks_uri").asText(null);
        if (jwksUri == null || HttpUrl.parse(jwksUri) == null) {
            throw new OidcException(Reason.JWKS_INVALID, "the discovery document at " + discoveryUrl
                    + " has no usable jwks_uri (presented: '" + jwksUri + "')");
        }
        Body jwks = get(jwksUri, "JWKS");
        JWKSet keys;
        try {
            keys = JWKSet.parse(jwks.body()).toPublicJWKSet();
        } catch (ParseException e) {
            throw new OidcException(Reason.JWKS_INVALID, "the JWKS at " + jwksUri
                    + " is not a JSON Web Key Set (" + e.getMessage() + ")", e);
        }
        return new Fetched(keys, ttl(jwks.cacheControl()));
    }

    private Duration ttl(CacheControl cacheControl) {
        int maxAge = cacheControl.maxAgeSeconds();
        if (maxAge < 0 || cacheControl.noCache() || cacheControl.noStore()) {
            return settings.minTtl();
        }
        Duration declared = Duration.ofSeconds(maxAge);
        if (declared.compareTo(settings.minTtl()) < 0) {
            return settings.minTtl();
        }
        return declared.compareTo(settings.maxTtl()) > 0 ? settings.maxTtl() : declared;
    }

    private record Body(String body, CacheControl cacheControl) {
    }

    private Body get(String url, String what) {
        Request request = new Request.Builder().url(url).header("Accept", "application/json").build();
        try (Response response = http.newCall(request).execute()) {
            if (!response.isSuccessful()) {
                throw new OidcException(Reason.JWKS_UNAVAILABLE, "fetching the " + what + " from " + url
                        + " failed with HTTP " + response.code() + "; the issuer's endpoint is down or the URL is wrong");
            }
            return new Body(HttpClients.readLimited(response.body(), settings.maxDocumentBytes()),
                    response.cacheControl());
        } catch (HttpClients.BodyTooLargeException e) {
            throw new OidcException(Reason.JWKS_INVALID, "the " + what + " at " + url + " is larger than "
                    + settings.maxDocumentBytes() + " bytes; refusing to read it", e);
        } catch (InterruptedIOException e) {
            throw new OidcException(Reason.JWKS_UNAVAILABLE, "fetching the " + what + " from " + url
                    + " timed out; the issuer's endpoint is slow or unreachable", e);
        } catch (IOException e) {
            throw new OidcException(Reason.JWKS_UNAVAILABLE, "fetching the " + what + " from " + url
                    + " failed: " + e.getMessage(), e);
        }
    }

    private static List<JWK> select(JWKSet keys, String kid, JWSAlgorithm alg) {
        JWKMatcher.Builder matcher = new JWKMatcher.Builder()
                .keyTypes(com.nimbusds.jose.jwk.KeyType.forAlgorithm(alg))
                .keyUses(KeyUse.SIGNATURE, null);
        if (kid != null) {
            matcher.keyID(kid);
        }
        return new JWKSelector(matcher.build()).select(keys);
    }

    static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
