package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Assertions that secrets appear only where the runner masks them. */
public final class Canary {

    private Canary() {
    }

    /** Every secret, and each non-blank line of it, as the runner would mask them. */
    public static List<String> forms(Collection<String> secrets) {
        List<String> forms = new ArrayList<>();
        for (String secret : secrets) {
            forms.add(secret);
            for (String line : secret.split("\\R")) {
                if (!line.isBlank()) {
                    forms.add(line.strip());
                }
            }
        }
        return forms;
    }

    /** No secret in {@code stdout} except on {@code ::add-mask::} lines. */
    public static void onlyInsideMasks(String stdout, Collection<String> secrets) {
        for (String line : stdout.split("\n", -1)) {
            if (line.startsWith("::add-mask::")) {
                continue;
            }
            for (String form : forms(secrets)) {
                assertThat(line).as("a log line shows a secret").doesNotContain(form);
                assertThat(line).doesNotContain(WorkflowCommands.escapeData(form));
            }
        }
    }

    /** Each secret (and each of its lines) is masked, before the first line that is not a mask. */
    public static void maskedBeforeAnythingElse(String stdout, Collection<String> secrets) {
        List<String> lines = List.of(stdout.split("\n"));
        for (String form : forms(secrets)) {
            int mask = lines.indexOf("::add-mask::" + WorkflowCommands.escapeData(form));
            assertThat(mask).as("mask for a secret").isGreaterThanOrEqualTo(0);
            for (int i = 0; i < mask; i++) {
                assertThat(lines.get(i)).as("line before the secret's mask").startsWith("::add-mask::");
            }
        }
    }

    public static void absent(String text, Collection<String> secrets) {
        for (String form : forms(secrets)) {
            assertThat(text).doesNotContain(form);
        }
    }
}
