package io.github.ephemeralcredentials.demo;

import io.github.ephemeralcredentials.core.oidc.BuildFacts;
import io.github.ephemeralcredentials.core.oidc.BuildToken;
import io.github.ephemeralcredentials.core.oidc.BuildTokens;
import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The two CI systems of the demo on one loopback server. A GitHub Actions runner: its OIDC token endpoint answers
 * the action exactly as the runner does ({@code GET …?api-version=2.0&audience=…} with the request bearer, answered
 * {@code {"value": jwt}}), with RS256 tokens shaped as GitHub signs them; and a Jenkins controller minting a build's
 * token as the plugin does ({@link BuildTokens}). Each issuer serves its discovery document and JWKS, which the
 * token-exchange service fetches as it would from the real ones.
 */
final class CiIssuers implements AutoCloseable {

    static final String OWNER = "octo-org";
    static final String REPOSITORY = OWNER + "/app";
    private static final String TOKEN_PATH = "/runner/idtoken";

    private final Loopback server;
    private final TokenIssuer github;
    private final TokenIssuer jenkins;
    private final String requestToken = "runner-request-" + UUID.randomUUID();
    /** The claims the runner's next token carries; the demo changes the ref between steps. */
    private volatile Map<String, Object> workflow = workflow("refs/heads/main", "push", "github-hosted");

    private CiIssuers(Loopback server, Clock clock) {
        this.server = server;
        KeyRing githubKeys = KeyRing.generate(SigningAlgorithm.RS256, clock.instant());
        KeyRing jenkinsKeys = KeyRing.generate(SigningAlgorithm.RS256, clock.instant());
        this.github = new TokenIssuer(server.url() + "/github-actions", () -> githubKeys, clock);
        this.jenkins = new TokenIssuer(server.url() + "/jenkins/ephemeral-credentials-oidc", () -> jenkinsKeys, clock);
    }

    static CiIssuers start(Clock clock) throws Exception {
        CiIssuers[] self = new CiIssuers[1];
        Loopback server = Loopback.start("ci", (path, request) -> self[0].answer(path, request));
        self[0] = new CiIssuers(server, clock);
        return self[0];
    }

    String githubIssuer() {
        return github.issuer();
    }

    String jenkinsIssuer() {
        return jenkins.issuer();
    }

    /** What the runner gives a container step to ask for its token. */
    Map<String, String> runnerEnvironment() {
        return Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", server.url() + TOKEN_PATH + "?api-version=2.0",
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", requestToken);
    }

    /** The workflow run whose job asks next: its ref and triggering event, on a GitHub-hosted runner. */
    void workflowOn(String ref, String event) {
        workflowOn(ref, event, "github-hosted");
    }

    /** The same on a runner of the given {@code runner_environment} ({@code github-hosted}, {@code self-hosted}). */
    void workflowOn(String ref, String event, String runnerEnvironment) {
        this.workflow = workflow(ref, event, runnerEnvironment);
    }

    Map<String, Object> workflowClaims() {
        return workflow;
    }

    /** A build's token as the Jenkins plugin mints it for the step. */
    BuildToken jenkinsBuild(String audience) {
        String ci = server.url() + "/jenkins";
        BuildFacts facts = new BuildFacts(ci, "platform/nightly-cache", null, null, null, null, 118,
                ci + "/job/platform/job/nightly-cache/118/", "timer", "platform/nightly-cache#118");
        return new BuildTokens(jenkins).mint(facts, audience, Duration.ofMinutes(5));
    }

    private Loopback.Reply answer(String path, Request request) {
        for (TokenIssuer issuer : List.of(github, jenkins)) {
            String base = issuer.issuer().substring(server.url().length());
            if (path.equals(base + "/.well-known/openid-configuration")) {
                return Loopback.Reply.json(200, issuer.discoveryDocument());
            }
            if (path.equals(base + "/jwks")) {
                return Loopback.Reply.json(200, issuer.jwks());
            }
        }
        if (!path.equals(TOKEN_PATH)) {
            return Loopback.Reply.json(404, "{\"message\":\"Not Found\"}");
        }
        if (!("Bearer " + requestToken).equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return Loopback.Reply.json(401, "{\"message\":\"Unauthorized\"}");
        }
        var query = Request.extractQueryParameters(request);
        String audience = query.getValue("audience");
        Map<String, Object> claims = workflow;
        String subject = "repo:" + REPOSITORY + ":" + (claims.get("event_name").equals("pull_request")
                ? "pull_request" : "ref:" + claims.get("ref"));
        String token = github.mint(subject, List.of(audience == null ? "https://github.com/" + OWNER : audience),
                Duration.ofMinutes(5), claims);
        return Loopback.Reply.json(200, "{\"count\":1,\"value\":\"" + token + "\"}");
    }

    /** The claims GitHub signs for a job of {@link #REPOSITORY}'s deploy workflow (see GitHub's OIDC reference). */
    private static Map<String, Object> workflow(String ref, String event, String runnerEnvironment) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("repository", REPOSITORY);
        claims.put("repository_owner", OWNER);
        claims.put("ref", ref);
        claims.put("ref_type", "branch");
        claims.put("event_name", event);
        claims.put("workflow", "deploy");
        claims.put("job_workflow_ref", REPOSITORY + "/.github/workflows/deploy.yml@" + ref);
        claims.put("actor", "octocat");
        claims.put("run_id", "7001");
        claims.put("runner_environment", runnerEnvironment);
        return java.util.Collections.unmodifiableMap(claims);
    }

    @Override
    public void close() {
        server.close();
    }
}
