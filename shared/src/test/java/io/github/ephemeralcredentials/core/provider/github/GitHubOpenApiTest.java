package io.github.ephemeralcredentials.core.provider.github;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The OpenAPI excerpt the fake GitHub checks against does reject what GitHub would not send or accept. */
class GitHubOpenApiTest {

    private final GitHubOpenApi api = new GitHubOpenApi();
    private static final String CREATE = "POST /app/installations/{installation_id}/access_tokens";

    @Test
    void namesItsSourcePackageAndVersion() {
        assertThat(api.excerpt.path("source").path("package").asText()).isEqualTo("@octokit/openapi");
        assertThat(api.excerpt.path("source").path("version").asText()).isEqualTo("23.0.2");
        assertThat(api.excerpt.path("$comment").asText()).contains("extract_github.py");
    }

    @Test
    void matchesPathTemplatesToOperations() {
        assertThat(api.operation("GET", "/repos/acme/app/installation")).contains("GET /repos/{owner}/{repo}/installation");
        assertThat(api.operation("POST", "/app/installations/7/access_tokens")).contains(CREATE);
        assertThat(api.operation("GET", "/repos/acme/app/installation/extra")).isEmpty();
        assertThat(api.operation("DELETE", "/app/installations/7")).isEmpty();
    }

    @Test
    void rejectsRequestBodiesGitHubWouldRefuse() {
        assertThat(api.checkRequest(CREATE, "{\"permissions\":{\"contents\":\"read\"},\"repositories\":[\"app\"]}")).isEmpty();
        assertThat(api.checkRequest(CREATE, "{\"permissions\":{\"contents\":\"READ\"}}")).isNotEmpty();
        assertThat(api.checkRequest(CREATE, "{\"repositories\":\"app\"}")).isNotEmpty();
        assertThat(api.checkRequest(CREATE, "{\"repository_ids\":[\"one\"]}")).isNotEmpty();
        assertThat(api.checkRequest("GET /app", "{}")).isNotEmpty();
    }

    @Test
    void rejectsResponsesGitHubWouldNotSend() {
        assertThat(api.checkResponse(CREATE, 201, "{\"token\":\"t\",\"expires_at\":\"2026-11-23T12:00:00Z\"}")).isEmpty();
        assertThat(api.checkResponse(CREATE, 201, "{\"token\":\"t\"}")).isNotEmpty();
        assertThat(api.checkResponse(CREATE, 201, "{\"token\":\"t\",\"expires_at\":\"x\",\"repository_selection\":\"some\"}"))
                .isNotEmpty();
        assertThat(api.checkResponse(CREATE, 422, "{\"message\":\"m\"}")).as("documentation_url is required").isNotEmpty();
        assertThat(api.checkResponse("DELETE /installation/token", 204, "")).isEmpty();
        assertThat(api.checkResponse("DELETE /installation/token", 200, "{}")).isNotEmpty();
        assertThat(api.checkResponse("GET /app", 200, "{\"id\":1}")).isNotEmpty();
    }
}
