package io.github.ephemeralcredentials.service;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.JsonLinesAuditWriter;
import io.github.ephemeralcredentials.core.audit.anomaly.AnomalyDetector;
import io.github.ephemeralcredentials.core.audit.anomaly.Signal;
import io.github.ephemeralcredentials.core.audit.anomaly.Thresholds;
import java.util.Set;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.exchange.CredentialLifecycle;
import io.github.ephemeralcredentials.core.exchange.CredentialRequest;
import io.github.ephemeralcredentials.core.exchange.Exchange;
import io.github.ephemeralcredentials.core.exchange.ExchangeException;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.exchange.Plan;
import io.github.ephemeralcredentials.core.oidc.OidcException;
import io.github.ephemeralcredentials.core.oidc.TrustedIssuers;
import io.github.ephemeralcredentials.core.oidc.VerifiedClaims;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.broker.AnswerDocument;
import io.github.ephemeralcredentials.core.provider.jwt.JwtProvider;
import io.github.ephemeralcredentials.service.config.ServiceConfig.Limits;
import io.github.ephemeralcredentials.service.state.SharedState;
import io.github.ephemeralcredentials.service.state.StateUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code POST /token} (RFC 8693) and {@code POST /revoke} (RFC 7009), without HTTP: form fields in, an {@link Answer}
 * out. The order is the security argument: the request's shape, then the CI token's signature and claims, then the
 * limits, then replay (only a verified token may use up its one exchange), then the policy, then the provider.
 */
final class TokenEndpoint {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final List<String> SUBJECT_TOKEN_TYPES = List.of("urn:ietf:params:oauth:token-type:jwt",
            "urn:ietf:params:oauth:token-type:id_token");
    /** Replays are remembered this long past a token's {@code exp}: the verifier's clock skew. */
    private static final Duration SKEW = Duration.ofSeconds(60);

    /** Swapped whole by a reload; a request reads it once, so it is decided under one policy. */
    private volatile Policy policy;
    private final TrustedIssuers issuers;
    private final String audience;
    private final SharedState state;
    private final Map<String, CredentialProvider> providers;
    private final Limits limits;
    private final JsonLinesAuditWriter audit;
    private final ServiceMetrics metrics;
    private final IssuedCredentials issued;
    private final OwnTokens own;
    private final Clock clock;
    /** In memory per replica (bounded, see AnomalyDetector): a signal is advice, not a shared decision. */
    private final AnomalyDetector anomalies;

    TokenEndpoint(Policy policy, TrustedIssuers issuers, String audience, SharedState state,
                  Map<String, CredentialProvider> providers, Limits limits, JsonLinesAuditWriter audit,
                  ServiceMetrics metrics, OwnTokens own, Clock clock) {
        this(policy, issuers, audience, state, providers, limits, audit, metrics, own, clock,
                new AnomalyDetector(Thresholds.DEFAULT));
    }

    TokenEndpoint(Policy policy, TrustedIssuers issuers, String audience, SharedState state,
                  Map<String, CredentialProvider> providers, Limits limits, JsonLinesAuditWriter audit,
                  ServiceMetrics metrics, OwnTokens own, Clock clock, AnomalyDetector anomalies) {
        this.anomalies = Objects.requireNonNull(anomalies, "anomalies");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.issuers = Objects.requireNonNull(issuers, "issuers");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.state = Objects.requireNonNull(state, "state");
        this.providers = providers;
        this.limits = limits;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.issued = new IssuedCredentials(state, clock);
        this.own = Objects.requireNonNull(own, "own");
    }

    /** The policy requests are decided under from now on; requests in flight finish under the one they read. */
    void policy(Policy next) {
        this.policy = Objects.requireNonNull(next, "policy");
    }

    Answer exchange(Map<String, List<String>> form) {
        return exchange(form, true);
    }

    /**
     * {@link #exchange} on a thread that must not wait, an HTTP selector's: the answer when the whole exchange runs on
     * this process's CPU and memory (the issuer's keys cached and fresh, an in-process store, a provider that calls
     * no one, such as {@code jwt}); empty when it needs a thread that may wait, and then nothing was counted or
     * recorded, so {@link #exchange} can take it from the start.
     */
    Optional<Answer> exchangeWithoutWaiting(Map<String, List<String>> form) {
        return Optional.ofNullable(exchange(form, false));
    }

    /** The answer, or null when {@code mayWait} is false and the exchange needs a thread that may wait. */
    private Answer exchange(Map<String, List<String>> form, boolean mayWait) {
        long started = System.nanoTime();
        Policy policy = this.policy;
        String[] profile = {null};
        String[] outcome = {"invalid"};
        boolean handedOn = false;
        try {
            Answer answer = exchange(policy, form, profile, outcome, mayWait);
            handedOn = answer == null;
            return answer;
        } finally {
            if (!handedOn) {
                metrics.exchange(profile[0], policy.profiles().keySet(), outcome[0], System.nanoTime() - started);
            }
        }
    }

    private Answer exchange(Policy policy, Map<String, List<String>> form, String[] profileOut, String[] outcome,
                            boolean mayWait) {
        for (Map.Entry<String, List<String>> field : form.entrySet()) {
            if (field.getValue().size() > 1) {
                return Answer.error(400, "invalid_request", "parameter '" + printable(field.getKey())
                        + "' is given more than once (RFC 6749 §3.2); give each parameter once");
            }
        }
        String grantType = one(form, "grant_type");
        if (grantType == null) {
            return Answer.error(400, "invalid_request", "grant_type is missing; use " + GRANT_TYPE);
        }
        if (!grantType.equals(GRANT_TYPE)) {
            return Answer.error(400, "unsupported_grant_type", "this service answers only grant_type " + GRANT_TYPE);
        }
        String token = one(form, "subject_token");
        if (token == null || token.isBlank()) {
            return Answer.error(400, "invalid_request", "subject_token is missing: send the CI job's OIDC token");
        }
        String tokenType = one(form, "subject_token_type");
        if (tokenType == null || !SUBJECT_TOKEN_TYPES.contains(tokenType)) {
            return Answer.error(400, "invalid_request", "subject_token_type must be one of "
                    + String.join(", ", SUBJECT_TOKEN_TYPES));
        }
        String asked = one(form, "audience");
        String resource = one(form, "resource");
        if (asked != null && resource != null && !asked.equals(resource)) {
            return Answer.error(400, "invalid_request", "audience and resource name different profiles; send one");
        }
        String profile = asked != null ? asked : resource;
        if (profile == null || profile.isBlank()) {
            return Answer.error(400, "invalid_target", "name the profile in audience (or resource); this service "
                    + "has " + String.join(", ", new java.util.TreeSet<>(policy.profiles().keySet())));
        }
        profileOut[0] = profile;
        if (!mayWait && !answersInProcess(policy, profile)) {
            return null;
        }
        Redactor redactor = Redactor.of(token);

        VerifiedClaims claims;
        try {
            if (mayWait) {
                claims = issuers.verify(token, audience);
            } else {
                Optional<VerifiedClaims> cached = issuers.verifyFromCache(token, audience);
                if (cached.isEmpty()) {
                    return null;
                }
                claims = cached.get();
            }
        } catch (OidcException e) {
            outcome[0] = "refused";
            return Answer.error(e.reason() == OidcException.Reason.JWKS_UNAVAILABLE ? 503 : 400,
                    e.reason() == OidcException.Reason.JWKS_UNAVAILABLE ? "temporarily_unavailable" : "invalid_grant",
                    "the subject_token was refused (" + e.reason() + "): " + redactor.redact(e.getMessage()));
        }
        Plan plan;
        try {
            plan = Exchange.plan(CredentialRequest.forProfile(profile), policy);
        } catch (ExchangeException e) {
            outcome[0] = "invalid";
            return Answer.error(400, "invalid_target", e.getMessage());
        }
        try {
            if (!state.withinLimit("subject:" + claims.issuer() + "|" + claims.subject(), limits.perSubjectPerMinute(),
                    Duration.ofMinutes(1))
                    || !state.withinLimit("profile:" + profile, limits.perProfilePerMinute(), Duration.ofMinutes(1))) {
                outcome[0] = "limited";
                return Answer.error(429, "temporarily_unavailable", "too many exchanges for this subject or "
                        + "profile; retry in a minute").withHeader("Retry-After", "60");
            }
            if (!state.firstUse(replayKey(claims, token, profile), untilExpiry(claims))) {
                outcome[0] = "replayed";
                metrics.replayRejected();
                return Answer.error(400, "invalid_grant", "this CI token was already exchanged for profile '"
                        + profile + "'; each token is accepted once per profile: request a fresh one");
            }
        } catch (StateUnavailableException e) {
            outcome[0] = "unavailable";
            // Fail closed: a replay that cannot be ruled out is refused.
            return Answer.error(503, "temporarily_unavailable", "the service cannot check for replays now ("
                    + e.getMessage() + "); nothing was issued — retry shortly");
        }

        ExchangeOutcome result;
        try {
            result = new Exchange(providers, AuditRecord.DEFAULT_CLAIMS, clock).run(plan, claims, () -> token);
        } catch (ExchangeException e) {
            outcome[0] = "invalid";
            return Answer.error(400, "invalid_target", e.getMessage());
        } catch (RuntimeException e) {
            outcome[0] = "failed";
            return Answer.error(500, "server_error", "the exchange failed inside the service ("
                    + e.getClass().getSimpleName() + "); the service's operators can see the cause in its audit");
        }
        write(flagged(result.audit(), policy), redactor);
        if (result instanceof ExchangeOutcome.Denied denied) {
            outcome[0] = "denied";
            return Answer.error(400, "invalid_grant", redactor.redact("the trust policy denied profile '" + profile
                    + "': " + denied.decision().summary() + "\n" + denied.decision().explain().stripTrailing()));
        }
        if (result instanceof ExchangeOutcome.Failed failed) {
            outcome[0] = "failed";
            return failure(failed.failure(), redactor);
        }
        ExchangeOutcome.Issued ok = (ExchangeOutcome.Issued) result;
        try {
            issued.remember(AnswerDocument.accessToken(ok.credential()), ok.cleanup());
        } catch (StateUnavailableException e) {
            // A credential that no replica could revoke is not handed out: take it back now.
            new CredentialLifecycle(providers, clock).cleanup(ok.cleanup());
            outcome[0] = "unavailable";
            return Answer.error(503, "temporarily_unavailable", "the service cannot record the credential for "
                    + "revocation now (" + e.getMessage() + "); it was revoked and nothing was issued — retry shortly");
        }
        outcome[0] = "issued";
        return Answer.ok(AnswerDocument.of(ok.credential(), clock.instant()));
    }

    /**
     * Whether an exchange for {@code profile} can wait on nothing but its issuer's keys: the store is in this process
     * and the provider calls no one. An unknown profile is refused without waiting.
     */
    private boolean answersInProcess(Policy policy, String profile) {
        return state.inProcess() && policy.profile(profile)
                .map(p -> providers.get(p.provider()) instanceof JwtProvider)
                .orElse(true);
    }

    private static Answer failure(ProviderException e, Redactor redactor) {
        String message = redactor.redact(e.getMessage());
        return switch (e.reason()) {
            case ACCESS_DENIED, INVALID_TOKEN -> Answer.error(400, "invalid_grant", message);
            case INVALID_PARAMETERS, INVALID_SCOPE -> Answer.error(500, "server_error", "the profile cannot be "
                    + "issued as configured: " + message);
            default -> Answer.error(502, "temporarily_unavailable", message);
        };
    }

    /**
     * RFC 7009: revokes what the service issued through a provider (by the provider's own revocation), and any JWT
     * it signed; at whichever replica is asked, through the shared store. Unknown or expired tokens are answered 200 as
     * well, as the RFC asks.
     */
    Answer revoke(Map<String, List<String>> form) {
        String token = one(form, "token");
        if (token == null || token.isBlank() || form.getOrDefault("token", List.of()).size() > 1) {
            return Answer.error(400, "invalid_request", "token is missing (or given twice): send the access_token "
                    + "to revoke");
        }
        Redactor redactor = Redactor.of(token);
        try {
            var record = issued.take(token);
            if (record.isPresent()) {
                CredentialLifecycle.CleanupReport report = new CredentialLifecycle(providers, clock)
                        .cleanup(record.get());
                write(revoked(record.get().provider(), record.get().expiresAt(), null, report.clean()),
                        redactor.and(record.get().secrets()));
                return Answer.ok(Map.of());
            }
            own.revoke(token).ifPresent(claims -> write(revoked("jwt", claims.expiresAt().orElse(null),
                    claims, true), redactor));
        } catch (StateUnavailableException e) {
            return Answer.error(503, "temporarily_unavailable", "the revocation could not be stored ("
                    + e.getMessage() + "); the token stays valid until it is: retry");
        }
        return Answer.ok(Map.of());
    }

    private AuditRecord revoked(String provider, Instant expiresAt, io.github.ephemeralcredentials.core.oidc.Claims own,
                                boolean clean) {
        AuditRecord.Builder builder = AuditRecord.builder().timestamp(clock.instant()).provider(provider)
                .expiresAt(expiresAt).outcome(AuditRecord.Outcome.REVOKED).reason(clean ? null : "REVOCATION_FAILED",
                        null);
        if (own != null) {
            builder.subject(own.subject()).tokenId(own.jwtId().orElse(null));
        }
        return builder.build();
    }

    /** The record with the signals it raises; each signal counted in the metrics. */
    private AuditRecord flagged(AuditRecord record, Policy policy) {
        Set<Signal> signals = anomalies.observe(record);
        if (signals.isEmpty()) {
            return record;
        }
        signals.forEach(s -> metrics.anomaly(s.name(), record.profile(), policy.profiles().keySet()));
        return record.toBuilder().anomalies(AnomalyDetector.codes(signals)).build();
    }

    /** The writer renders and redacts on the caller's thread and locks only around its one write of the line. */
    private void write(AuditRecord record, Redactor redactor) {
        audit.write(record, redactor);
    }

    private static String replayKey(VerifiedClaims claims, String token, String profile) {
        String id = claims.jwtId().map(jti -> "jti:" + jti).orElseGet(() -> "sha256:" + IssuedCredentials.hash(token));
        return "replay:" + IssuedCredentials.hash(claims.issuer() + "\n" + id + "\n" + profile);
    }

    private Duration untilExpiry(VerifiedClaims claims) {
        Instant exp = claims.expiresAt().orElse(clock.instant());
        Duration left = Duration.between(clock.instant(), exp.plus(SKEW));
        return left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
    }

    private static String one(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A parameter name a caller chose, shown without control or format characters. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(64).forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append('?');
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
