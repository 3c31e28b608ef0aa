package io.github.ephemeralcredentials.core.exchange;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.oidc.CiClaims;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.policy.Decision;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.Profile;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The one call every host makes: a {@link Plan} and the CI token's claims in; the trust policy decides, the profile's
 * provider exchanges the token, and every outcome comes out with its audit record (already redacted) and, when
 * issued, the {@link CleanupRecord} that a later step or process revokes from.
 */
public final class Exchange {

    private final Map<String, CredentialProvider> providers;
    private final List<String> auditClaims;
    private final Clock clock;

    /**
     * @param providers   the providers a plan may name, by id (kept, not copied: {@link Providers#standard} builds
     *                    each on first use)
     * @param auditClaims the claims the audit record keeps (e.g. {@link AuditRecord#DEFAULT_CLAIMS} plus a host's own)
     */
    public Exchange(Map<String, CredentialProvider> providers, List<String> auditClaims, Clock clock) {
        this.providers = Collections.unmodifiableMap(providers);
        this.auditClaims = List.copyOf(auditClaims);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Resolves a request against the policy and this installation's providers, before any CI token exists.
     *
     * @param policy the trust policy, or {@code null} for a direct request without a profile
     * @throws ExchangeException naming what is wrong with the request
     */
    public static Plan plan(CredentialRequest request, Policy policy) {
        return Plan.of(request, policy, Providers.descriptors());
    }

    /**
     * @param claims  the CI token's claims, with their provenance: a provider that never presents the CI token to a
     *                verifier runs only on {@link io.github.ephemeralcredentials.core.oidc.VerifiedClaims}
     * @param ciToken supplies the CI token; asked again by the provider's retries when the first one expires
     * @throws ExchangeException {@code UNVERIFIED_CLAIMS} before anything else is done, when the plan's provider
     *                           would issue on claims nobody verified
     */
    public ExchangeOutcome run(Plan plan, CiClaims claims, Supplier<String> ciToken) {
        if (!claims.verified() && !plan.descriptor().presentsCiToken()) {
            throw new ExchangeException(ExchangeException.Reason.UNVERIFIED_CLAIMS, "provider '" + plan.provider()
                    + "' never shows the CI token to anyone who verifies it, so it issues only on verified claims; "
                    + "these were " + claims.provenance() + ". Run " + (plan.profile() == null ? "it" : "profile '"
                    + plan.profile() + "'") + " where the token is verified before the policy decides: the "
                    + "token-exchange service, the Jenkins plugin (its controller mints the build's token), or "
                    + "`ephemeral-credentials exchange --policy` with --issuer");
        }
        Claims facts = claims.claims();
        Instant now = clock.instant();
        AuditRecord.Builder audit = AuditRecord.of(now, facts, AuditRecord.Outcome.ISSUED, auditClaims)
                .profile(plan.profile()).owner(plan.owner()).provider(plan.provider())
                .scope(plan.scope().isEmpty() ? null : "scope " + new TreeSet<>(plan.scope().keySet()));
        Decision decision = null;
        if (plan.policy() != null) {
            decision = plan.policy().evaluate(facts, plan.profile(), now);
            decision.profile().ifPresent(p -> audit.owner(p.owner()).tags(tags(p)));
            if (!decision.allowed()) {
                return new ExchangeOutcome.Denied(decision, audit.outcome(AuditRecord.Outcome.DENIED)
                        .provider(null).scope(null).reason(decision.reason().name(), decision.summary()).build());
            }
        }
        return call(plan, decision, audit, facts, ciToken);
    }

    private ExchangeOutcome call(Plan plan, Decision decision, AuditRecord.Builder audit, Claims claims,
                                 Supplier<String> ciToken) {
        CredentialProvider provider = providers.get(plan.provider());
        if (provider == null) {
            ProviderException unknown = new ProviderException(plan.provider(), ProviderException.Reason.INVALID_PARAMETERS,
                    null, "provider '" + plan.provider() + "' is not available to this host; use one of "
                    + new TreeSet<>(providers.keySet()));
            return new ExchangeOutcome.Failed(decision, unknown, failed(audit, unknown, Redactor.none()));
        }
        // Every token handed to the provider is masked in the failure it may quote back.
        List<String> handedOut = new CopyOnWriteArrayList<>();
        Supplier<String> remembering = () -> {
            String token = ciToken.get();
            handedOut.add(token);
            return token;
        };
        ExchangeRequest request = new ExchangeRequest(remembering, claims, plan.parameters(), plan.scope(),
                plan.lifetime(), plan.owner());
        EphemeralCredential credential;
        try {
            credential = provider.exchange(request);
        } catch (ProviderException e) {
            return new ExchangeOutcome.Failed(decision, e, failed(audit, e, Redactor.of(handedOut)));
        }
        List<String> secrets = new ArrayList<>(handedOut);
        secrets.addAll(credential.secrets());
        AuditRecord issued = audit.timestamp(clock.instant()).expiresAt(credential.expiresAt()).build()
                .redacted(Redactor.of(secrets));
        return new ExchangeOutcome.Issued(decision, credential, CleanupRecord.of(credential), issued);
    }

    private static List<String> tags(Profile profile) {
        return profile.tags().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
    }

    private AuditRecord failed(AuditRecord.Builder audit, ProviderException e, Redactor redactor) {
        AuditRecord.Outcome outcome = switch (e.reason()) {
            case ACCESS_DENIED, INVALID_TOKEN, INVALID_SCOPE -> AuditRecord.Outcome.DENIED;
            default -> AuditRecord.Outcome.FAILED;
        };
        String code = e.providerCode() == null ? e.reason().name() : e.reason().name() + "/" + e.providerCode();
        return audit.timestamp(clock.instant()).outcome(outcome).reason(code, e.getMessage()).build().redacted(redactor);
    }
}
