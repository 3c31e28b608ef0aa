package io.github.ephemeralcredentials.core.exchange;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.policy.Decision;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.Profile;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One request for credentials, decided and carried out: the trust policy decides on the CI token's claims, and only
 * when it allows does the profile's provider exchange the token, for at most the profile's lifetime. Every outcome
 * comes with its audit record, so a host writes the trail the same way whatever happened.
 */
public final class Exchange {

    private final Map<String, CredentialProvider> providers;
    private final List<String> auditClaims;
    private final Clock clock;

    /**
     * @param providers   the providers a profile may name, by id (kept, not copied: {@link
     *                    io.github.ephemeralcredentials.core.exchange.Providers#standard} builds each on first use)
     * @param auditClaims the claims the audit record keeps (e.g. {@link AuditRecord#DEFAULT_CLAIMS} plus a host's own)
     */
    public Exchange(Map<String, CredentialProvider> providers, List<String> auditClaims, Clock clock) {
        this.providers = java.util.Collections.unmodifiableMap(providers);
        this.auditClaims = List.copyOf(auditClaims);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param claims    the CI token's claims, verified (or minted by the host itself)
     * @param ciToken   supplies the CI token; asked again by the provider's retries when the first one expires
     * @param profile   the profile the job asked for
     * @param lifetime  the lifetime the job asked for, or {@code null} for the profile's maximum; never more than it
     */
    public ExchangeOutcome run(Policy policy, Claims claims, Supplier<String> ciToken, String profile, Duration lifetime) {
        Decision decision = policy.evaluate(claims, profile, clock.instant());
        AuditRecord base = audit(claims, decision);
        if (!decision.allowed()) {
            return new ExchangeOutcome.Denied(decision, base.withReason(decision.reason().name(), decision.summary()));
        }
        Profile granted = decision.profile().orElseThrow();
        Duration capped = lifetime == null || lifetime.compareTo(granted.maxLifetime()) > 0 ? granted.maxLifetime() : lifetime;
        return call(decision, base, claims, "profile '" + granted.name() + "' names ", granted.provider(),
                granted.parameters(), granted.scope(), capped, granted.owner(), ciToken);
    }

    /**
     * An exchange without a trust policy, for a host whose own inputs name the provider and its parameters (the
     * GitHub Action without {@code policy:}): the same provider call and the same audit record as {@link #run},
     * with no decision ({@link ExchangeOutcome#decision()} is {@code null}) and never {@link ExchangeOutcome.Denied}.
     */
    public ExchangeOutcome direct(Claims claims, Supplier<String> ciToken, String provider, Map<String, Object> parameters,
                                  Map<String, Object> scope, Duration lifetime) {
        return call(null, base(claims, AuditRecord.Outcome.ISSUED), claims, "", provider, parameters, scope, lifetime, null, ciToken);
    }

    private ExchangeOutcome call(Decision decision, AuditRecord base, Claims claims, String whoNamed, String providerId,
                                 Map<String, Object> parameters, Map<String, Object> scope, Duration lifetime,
                                 String owner, Supplier<String> ciToken) {
        CredentialProvider provider = providers.get(providerId);
        String scopeSummary = scope.isEmpty() ? null : "scope " + new TreeSet<>(scope.keySet());
        AuditRecord asked = base.withProvider(providerId, scopeSummary, null);
        if (provider == null) {
            ProviderException unknown = new ProviderException(providerId, ProviderException.Reason.INVALID_PARAMETERS,
                    null, whoNamed + "provider '" + providerId + "', which this installation does not have; use one of "
                    + new TreeSet<>(providers.keySet()));
            return new ExchangeOutcome.Failed(decision, unknown, failed(asked, unknown, Redactor.none()));
        }
        // Every token handed to the provider is masked in the failure it may quote back.
        List<String> handedOut = new CopyOnWriteArrayList<>();
        Supplier<String> remembering = () -> {
            String token = ciToken.get();
            handedOut.add(token);
            return token;
        };
        ExchangeRequest request = new ExchangeRequest(remembering, claims, parameters, scope, lifetime, owner);
        EphemeralCredential credential;
        try {
            credential = provider.exchange(request);
        } catch (ProviderException e) {
            return new ExchangeOutcome.Failed(decision, e, failed(asked, e, Redactor.of(handedOut)));
        }
        AuditRecord issued = new AuditRecord(clock.instant(), asked.issuer(), asked.subject(), asked.claims(),
                asked.profile(), asked.owner(), asked.tags(), asked.provider(), asked.scope(), credential.expiresAt(),
                AuditRecord.Outcome.ISSUED, null, null, asked.tokenId());
        return new ExchangeOutcome.Issued(decision, credential, issued);
    }

    private AuditRecord audit(Claims claims, Decision decision) {
        AuditRecord record = base(claims, decision.allowed() ? AuditRecord.Outcome.ISSUED : AuditRecord.Outcome.DENIED)
                .withProfile(decision.requestedProfile(), null, List.of());
        return decision.profile()
                .map(p -> record.withProfile(p.name(), p.owner(), p.tags().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).sorted().toList()))
                .orElse(record);
    }

    private AuditRecord base(Claims claims, AuditRecord.Outcome outcome) {
        return new AuditRecord(clock.instant(), claims.issuer(), claims.subject(), AuditRecord.select(claims, auditClaims),
                null, null, List.of(), null, null, null, outcome, null, null, claims.jwtId().orElse(null));
    }

    private AuditRecord failed(AuditRecord asked, ProviderException e, Redactor redactor) {
        AuditRecord.Outcome outcome = switch (e.reason()) {
            case ACCESS_DENIED, INVALID_TOKEN, INVALID_SCOPE -> AuditRecord.Outcome.DENIED;
            default -> AuditRecord.Outcome.FAILED;
        };
        String code = e.providerCode() == null ? e.reason().name() : e.reason().name() + "/" + e.providerCode();
        return new AuditRecord(clock.instant(), asked.issuer(), asked.subject(), asked.claims(), asked.profile(),
                asked.owner(), asked.tags(), asked.provider(), asked.scope(), null, outcome, code,
                redactor.redact(e.getMessage()), asked.tokenId());
    }
}
