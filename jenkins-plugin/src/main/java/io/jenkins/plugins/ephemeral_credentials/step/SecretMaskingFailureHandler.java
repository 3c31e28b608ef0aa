package io.jenkins.plugins.ephemeral_credentials.step;

import hudson.util.Secret;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.FailureHandler;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Masks the block's secrets in an exception that leaves it (a failing {@code sh} whose message quotes a command
 * line, say), since Pipeline prints exceptions outside the masked console stream.
 */
final class SecretMaskingFailureHandler implements FailureHandler {

    private static final long serialVersionUID = 1L;

    private final ArrayList<Secret> secrets;

    SecretMaskingFailureHandler(Collection<String> secrets) {
        // A plain ArrayList: this object is part of the Pipeline's persisted program state.
        this.secrets = new ArrayList<>();
        secrets.forEach(s -> this.secrets.add(Secret.fromString(s)));
    }

    @Override
    public Throwable handle(StepContext ctx, Throwable t) {
        Redactor redactor = Redactor.of(secrets.stream().map(Secret::getPlainText).toList());
        return redactor.reveals(printed(t)) ? masked(t, redactor, new IdentityHashMap<>()) : t;
    }

    private static Throwable masked(Throwable t, Redactor redactor, Map<Throwable, Throwable> done) {
        Throwable seen = done.get(t);
        if (seen != null) {
            return seen;
        }
        RedactedFailure copy = new RedactedFailure(t.getClass().getName() + ": " + redactor.redact(String.valueOf(t.getMessage())));
        done.put(t, copy);
        copy.setStackTrace(t.getStackTrace());
        if (t.getCause() != null) {
            copy.initCause(masked(t.getCause(), redactor, done));
        }
        for (Throwable suppressed : t.getSuppressed()) {
            copy.addSuppressed(masked(suppressed, redactor, done));
        }
        return copy;
    }

    private static String printed(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /** An exception whose message had a secret of the block in it, with that secret masked. */
    static final class RedactedFailure extends Exception {
        private static final long serialVersionUID = 1L;

        RedactedFailure(String message) {
            super(message);
        }
    }
}
