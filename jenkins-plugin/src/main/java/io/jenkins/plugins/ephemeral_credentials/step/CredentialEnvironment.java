package io.jenkins.plugins.ephemeral_credentials.step;

import hudson.EnvVars;
import hudson.util.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;

/**
 * The block's environment: the credential's variables, held as {@link Secret}s as credentials-binding holds its
 * bindings, and the secret ones reported as sensitive so Pipeline warns when a Groovy string interpolates them into
 * a command line.
 */
final class CredentialEnvironment extends EnvironmentExpander {

    private static final long serialVersionUID = 1L;

    private final Map<String, Secret> variables = new LinkedHashMap<>();
    private final Set<String> sensitive;

    CredentialEnvironment(Map<String, String> variables, Set<String> sensitive) {
        variables.forEach((name, value) -> this.variables.put(name, Secret.fromString(value)));
        this.sensitive = new TreeSet<>(sensitive);
    }

    @Override
    public void expand(EnvVars env) {
        variables.forEach((name, value) -> env.override(name, value.getPlainText()));
    }

    @Override
    public Set<String> getSensitiveVariables() {
        return Set.copyOf(sensitive);
    }
}
