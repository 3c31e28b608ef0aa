package io.github.ephemeralcredentials.core.exchange;

import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.policy.Decision;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.util.Objects;

/** What came of an {@link Exchange}: each outcome carries the policy decision and the audit record to write. */
public sealed interface ExchangeOutcome {

    /** The trust policy's decision; {@code null} for {@link Exchange#direct}, where no policy was in play. */
    Decision decision();

    AuditRecord audit();

    /** The policy allowed and the provider issued. */
    record Issued(Decision decision, EphemeralCredential credential, AuditRecord audit) implements ExchangeOutcome {
        public Issued {
            Objects.requireNonNull(credential, "credential");
        }
    }

    /** The policy refused; {@link Decision#explain()} says claim by claim why. Nothing was sent to a provider. */
    record Denied(Decision decision, AuditRecord audit) implements ExchangeOutcome {
    }

    /** The policy allowed but the provider refused or failed; the exception's message says what to do. */
    record Failed(Decision decision, ProviderException failure, AuditRecord audit) implements ExchangeOutcome {
    }
}
