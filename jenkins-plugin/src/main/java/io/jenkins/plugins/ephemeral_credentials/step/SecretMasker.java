package io.jenkins.plugins.ephemeral_credentials.step;

import hudson.console.LineTransformationOutputStream;
import hudson.util.Secret;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import org.jenkinsci.plugins.workflow.log.TaskListenerDecorator;

/**
 * Masks the block's secrets in every line of its console output, wherever that output is produced: this decorator
 * travels to agents with the log stream, so it uses nothing of the controller. The shared {@link Redactor} decides
 * what a secret looks like on the way out (the value, each of its lines, its URL, JSON and base64 forms). Pipeline
 * logs are UTF-8.
 */
final class SecretMasker extends TaskListenerDecorator {

    private static final long serialVersionUID = 1L;

    private final ArrayList<Secret> secrets;
    private final boolean signedJwts;

    /**
     * @param signedJwts also mask every JWT-shaped string: in token-file mode the file is rewritten with fresh tokens
     *                   during the block, and those tokens did not exist when this masker was made
     */
    SecretMasker(Collection<String> secrets, boolean signedJwts) {
        // A plain ArrayList: this object is part of the Pipeline's persisted program state.
        this.secrets = new ArrayList<>();
        secrets.forEach(s -> this.secrets.add(Secret.fromString(s)));
        this.signedJwts = signedJwts;
    }

    @Override
    public OutputStream decorate(OutputStream logger) {
        Redactor redactor = Redactor.of(secrets.stream().map(Secret::getPlainText).toList());
        if (signedJwts) {
            redactor = redactor.andSignedJwts();
        }
        Redactor masks = redactor;
        return new LineTransformationOutputStream.Delegating(logger) {
            @Override
            protected void eol(byte[] b, int len) throws IOException {
                String line = new String(b, 0, len, StandardCharsets.UTF_8);
                if (masks.reveals(line)) {
                    out.write(masks.redact(line).getBytes(StandardCharsets.UTF_8));
                } else {
                    out.write(b, 0, len);
                }
            }
        };
    }
}
