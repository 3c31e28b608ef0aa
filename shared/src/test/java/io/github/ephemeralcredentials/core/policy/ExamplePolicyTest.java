package io.github.ephemeralcredentials.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.exchange.Providers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example policy in docs/trust-policy.md (and the README) is examples/policy.yaml: it must stay valid. */
class ExamplePolicyTest {

    static final Path EXAMPLE = Path.of("..", "examples", "policy.yaml");

    @Test
    void theDocumentedExampleLoadsAndItsOwnTestsPass() {
        Policy policy = PolicyLoader.load(EXAMPLE, Providers.descriptors());
        PolicyTestReport report = policy.runTests();
        assertThat(report.results()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(report.results()).allSatisfy(r -> assertThat(r.failure()).as(r.decision().explain()).isEmpty());
        assertThat(report.summary()).isEqualTo(report.results().size() + " passed, 0 failed");
    }

    @Test
    void theDocumentedExampleHasNoLintFindings() {
        assertThat(PolicyLoader.load(EXAMPLE, Providers.descriptors()).lint()).isEmpty();
    }

    @Test
    void theDocumentedExampleIsQuotedVerbatimInTheDocs() throws Exception {
        String doc = java.nio.file.Files.readString(Path.of("..", "docs", "trust-policy.md"));
        String example = java.nio.file.Files.readString(EXAMPLE);
        assertThat(doc).contains(example);
        assertThat(java.nio.file.Files.readString(Path.of("..", "README.md"))).contains(example);
    }
}
