package io.jenkins.plugins.ephemeral_credentials.issuer;

import hudson.Extension;
import hudson.model.AsyncPeriodicWork;
import hudson.model.TaskListener;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;

/**
 * Rotates the issuer's signing key when it is older than the configured period. The previous key stays in the JWKS
 * for the overlap period, so tokens signed just before and JWKS cached by relying parties keep verifying.
 */
@Extension
public final class KeyRotation extends AsyncPeriodicWork {

    public KeyRotation() {
        super("Ephemeral Credentials issuer key rotation");
    }

    @Override
    public long getRecurrencePeriod() {
        return HOUR;
    }

    @Override
    protected void execute(TaskListener listener) {
        EphemeralCredentialsConfiguration config = EphemeralCredentialsConfiguration.get();
        if (IssuerKeys.get().rotateIfDue(config.rotationPeriod(), config.keyOverlap())) {
            listener.getLogger().println("Rotated the issuer's signing key; the previous one stays published for "
                    + config.keyOverlap());
        }
    }
}
