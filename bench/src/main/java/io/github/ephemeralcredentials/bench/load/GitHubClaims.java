package io.github.ephemeralcredentials.bench.load;

import io.github.ephemeralcredentials.bench.load.CiIssuer.CiClaims;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GitHub-Actions-shaped claims (the two dozen a real workflow token carries), varied over 40 repositories and three
 * kinds of job — a push to main, a release tag, a deployment environment — each of which the benchmark's policy
 * allows through a different rule.
 */
final class GitHubClaims {

    static final int REPOSITORIES = 40;

    private GitHubClaims() {
    }

    static CiClaims forToken(int i) {
        String repository = String.format("acme/app-%02d", i % REPOSITORIES);
        int kind = (i / REPOSITORIES) % 3;
        String ref = kind == 1 ? "refs/tags/v1." + (i % 7) + ".0" : "refs/heads/main";
        String subject = "repo:" + repository + (kind == 2 ? ":environment:production" : ":ref:" + ref);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("ref", ref);
        claims.put("sha", String.format("%040x", (long) i * 2654435761L));
        claims.put("repository", repository);
        claims.put("repository_owner", "acme");
        claims.put("repository_owner_id", "1000001");
        claims.put("repository_id", String.valueOf(2000000 + i % REPOSITORIES));
        claims.put("repository_visibility", "private");
        claims.put("run_id", String.valueOf(9000000000L + i));
        claims.put("run_number", String.valueOf(1 + i % 500));
        claims.put("run_attempt", "1");
        claims.put("actor", "dev-" + (i % 25));
        claims.put("actor_id", String.valueOf(3000000 + i % 25));
        claims.put("workflow", "deploy");
        claims.put("workflow_ref", repository + "/.github/workflows/deploy.yml@" + ref);
        claims.put("job_workflow_ref", "acme/workflows/.github/workflows/deploy.yml@refs/tags/v3");
        claims.put("event_name", kind == 2 ? "workflow_dispatch" : "push");
        claims.put("ref_type", kind == 1 ? "tag" : "branch");
        claims.put("ref_protected", "true");
        claims.put("runner_environment", "github-hosted");
        if (kind == 2) {
            claims.put("environment", "production");
        }
        return new CiClaims(subject, claims);
    }
}
