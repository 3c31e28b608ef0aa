package io.github.ephemeralcredentials.core.exchange;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.policy.Decision;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.util.Objects;

/**
 * What came of an {@link Exchange}: each outcome carries the policy decision and the audit record to write, already
 * redacted of the CI tokens handed out and the secrets issued.
 */
public sealed interface ExchangeOutcome {

    /** The trust policy's decision; {@code null} for a direct request, where no policy was in play. */
    Decision decision();

    AuditRecord audit();

    /** The policy allowed (or none was in play) and the provider issued. */
    record Issued(Decision decision, EphemeralCredential credential, CleanupRecord cleanup, AuditRecord audit)
            implements ExchangeOutcome {
        public Issued {
            Objects.requireNonNull(credential, "credential");
            Objects.requireNonNull(cleanup, "cleanup");
        }
    }

    /** The policy refused; {@link Decision#explain()} says claim by claim why. Nothing was sent to a provider. */
    record Denied(Decision decision, AuditRecord audit) implements ExchangeOutcome {
    }

    /** The provider refused or failed; the exception's message says what to do. */
    record Failed(Decision decision, ProviderException failure, AuditRecord audit) implements ExchangeOutcome {
    }
}
