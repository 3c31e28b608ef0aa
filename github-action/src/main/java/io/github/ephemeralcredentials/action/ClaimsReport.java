package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.oidc.Claims;
import java.util.List;

/**
 * The token's identifying claims, printed when a provider or the policy refuses it, so the workflow author sees
 * which {@code sub} and {@code aud} were presented without opening CloudTrail. Claims are not secrets; the token
 * that carried them is, and is never printed.
 */
final class ClaimsReport {

    static final List<String> CLAIMS = List.of("sub", "aud", "repository", "ref", "environment", "job_workflow_ref",
            "runner_environment");

    private ClaimsReport() {
    }

    static void print(WorkflowCommands commands, String title, Claims claims) {
        commands.group(title);
        for (String name : CLAIMS) {
            String value = name.equals("aud") ? String.join(", ", claims.audience())
                    : claims.string(name).orElse("(absent)");
            commands.info(name + ": " + (value.isEmpty() ? "(absent)" : value));
        }
        commands.endGroup();
    }
}
