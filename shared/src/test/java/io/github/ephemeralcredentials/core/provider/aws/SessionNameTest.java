package io.github.ephemeralcredentials.core.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.oidc.Claims;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionNameTest {

    @Test
    void namesTheRepositoryAndRunForGitHubTokens() {
        Claims claims = Claims.of(Map.of("sub", "repo:acme/app:ref:refs/heads/main", "repository", "acme/app",
                "run_id", "9876543210", "run_attempt", "2"));
        assertThat(SessionName.derive(claims, null)).isEqualTo("acme-app-9876543210-2");
        assertThat(SessionName.derive(claims, "team platform")).isEqualTo("team-platform@acme-app-9876543210-2");
    }

    @Test
    void namesTheJobAndBuildForJenkinsTokens() {
        Claims claims = Claims.of(Map.of("sub", "https://ci.example/job/x/", "job", "folder/deploy", "build_number", 17));
        assertThat(SessionName.derive(claims, null)).isEqualTo("folder-deploy-17");
    }

    @Test
    void fallsBackToTheSubjectAndAlwaysMatchesStsRules() {
        for (Map<String, Object> m : java.util.List.<Map<String, Object>>of(Map.of("sub", "x"), Map.of(),
                Map.of("sub", "ü/ñ:é ?*"),
                Map.of("repository", "a".repeat(200), "run_id", "1".repeat(40), "run_attempt", "3"))) {
            String name = SessionName.derive(Claims.of(m), "o".repeat(100));
            assertThat(name).matches(SessionName.VALID);
        }
        assertThat(SessionName.derive(Claims.of(Map.of("sub", "x")), null)).isEqualTo("x-ci");
    }

    @Test
    void shortensTheIdentityFirstSoTheRunIdSurvives() {
        Claims claims = Claims.of(Map.of("repository", "org/" + "r".repeat(100), "run_id", "123456"));
        String name = SessionName.derive(claims, "owner");
        assertThat(name).hasSize(64).startsWith("owner@org-rrr").endsWith("-123456");
    }
}
