package io.jenkins.plugins.ephemeral_credentials.step;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Executor;
import hudson.model.Result;
import hudson.util.Secret;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import io.jenkins.plugins.ephemeral_credentials.config.ProfileSecret;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jenkins.model.JenkinsLocationConfiguration;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.cps.SnippetizerTester;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The step in a real Pipeline against an OAuth 2.0 token exchange server on loopback. The server is
 * {@code mockwebserver3} answering exactly as RFC 8693 §2.2.1 (success) and RFC 7009 §2.2 (revocation) specify,
 * since no token exchange server with revocation runs inside a Jenkins test; the provider's own wire tests in
 * {@code shared/} cover the protocol against Keycloak and mock-oauth2-server.
 */
@WithJenkins
class WithEphemeralCredentialsStepTest {

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    private static final String ACCESS_TOKEN = "canary-access-token-7f3a9c1e5b2d4f60";
    private static final String CLIENT_SECRET = "canary-client-secret-0a1b2c3d";

    private JenkinsRule r;
    private MockWebServer server;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    /** Set by a test to hold the token endpoint's answer until it says so; counted down when the request arrived. */
    private volatile CountDownLatch holdTokenAnswer;
    private final CountDownLatch tokenRequested = new CountDownLatch(1);

    @BeforeEach
    void start(JenkinsRule r) throws Exception {
        this.r = r;
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                requests.add(request);
                if (request.getUrl().encodedPath().equals("/token")) {
                    tokenRequested.countDown();
                    CountDownLatch hold = holdTokenAnswer;
                    if (hold != null) {
                        try {
                            hold.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                            .setHeader("Cache-Control", "no-store")
                            .body("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"issued_token_type\":"
                                    + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"Bearer\","
                                    + "\"expires_in\":300}")
                            .build();
                }
                return new MockResponse.Builder().code(200).build();
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "deploy-client-secret", "", Secret.fromString(CLIENT_SECRET)));
        SystemCredentialsProvider.getInstance().save();
        EphemeralCredentialsConfiguration config = EphemeralCredentialsConfiguration.get();
        config.setProfileSecrets(List.of(new ProfileSecret("deploy", "CLIENT_SECRET", "deploy-client-secret")));
        config.setPolicy(policy("job:deploy"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private String policy(String allowedSubject) {
        String base = "http://127.0.0.1:" + server.getPort();
        return """
                version: 1
                profiles:
                  deploy:
                    provider: token-exchange
                    maxLifetime: 10m
                    parameters:
                      token-endpoint: %s/token
                      revocation-endpoint: %s/revoke
                      client-id: jenkins
                      client-secret-env: CLIENT_SECRET
                rules:
                  - name: the-deploy-job
                    issuer: %sephemeral-credentials-oidc
                    profiles: [deploy]
                    claims:
                      aud: https://auth.example.com
                      sub: "%s"
                """.formatted(base, base, r.getURL(), allowedSubject);
    }

    private WorkflowJob job(String name) throws Exception {
        WorkflowJob job = r.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition("""
                withEphemeralCredentials(profile: 'deploy', audience: 'https://auth.example.com') {
                    if (env.ACCESS_TOKEN != '%s') { error 'the access token is not bound' }
                    echo "inside: ${env.ACCESS_TOKEN}"
                }
                echo "after: ${env.ACCESS_TOKEN}"
                """.formatted(ACCESS_TOKEN), true));
        return job;
    }

    @Test
    void bindsMasksAndRevokes() throws Exception {
        WorkflowRun run = r.buildAndAssertSuccess(job("deploy"));

        String log = JenkinsRule.getLog(run);
        assertThat(log).contains("inside: ****").contains("after: null")
                .doesNotContain(ACCESS_TOKEN).doesNotContain(CLIENT_SECRET)
                .contains("ISSUED profile 'deploy' (token-exchange) to job:deploy")
                .contains("REVOKED profile 'deploy' (token-exchange) of job:deploy");
        RecordedRequest exchange = requests.get(0);
        assertThat(exchange.getUrl().encodedPath()).isEqualTo("/token");
        assertThat(exchange.getBody().utf8()).contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange")
                .contains("subject_token=ey");
        RecordedRequest revocation = requests.get(requests.size() - 1);
        assertThat(revocation.getUrl().encodedPath()).isEqualTo("/revoke");
        assertThat(revocation.getBody().utf8()).contains("token=" + ACCESS_TOKEN);
    }

    @Test
    void aDenialFailsTheBuildWithTheClaimThatDidNotMatch() throws Exception {
        EphemeralCredentialsConfiguration.get().setPolicy(policy("job:release"));

        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, job("deploy"));

        assertThat(JenkinsRule.getLog(run)).contains("the trust policy denied profile 'deploy'")
                .contains("[FAIL] sub").contains("job:deploy")
                .contains("DENIED profile 'deploy'");
        assertThat(requests).isEmpty();
    }

    @Test
    void withoutAConfiguredJenkinsUrlTheStepFailsSayingWhatToSet() throws Exception {
        JenkinsLocationConfiguration.get().setUrl(null);

        WorkflowRun run = r.buildAndAssertStatus(Result.FAILURE, job("deploy"));

        assertThat(JenkinsRule.getLog(run)).contains("withEphemeralCredentials(profile: 'deploy'): No Jenkins URL is "
                + "configured").contains("set the Jenkins URL in Manage Jenkins > System");
        assertThat(requests).isEmpty();
    }

    /**
     * The build is aborted while the provider is still answering: the answer brings a credential nobody would use, and
     * the step takes it back at once instead of leaving it valid until it expires. The block never runs.
     */
    @Test
    void anAbortWhileTheProviderCallIsInFlightRevokesWhatWasIssued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        holdTokenAnswer = release;
        WorkflowRun run = job("deploy").scheduleBuild2(0).waitForStart();
        assertThat(tokenRequested.await(60, TimeUnit.SECONDS)).as("the exchange reached the provider").isTrue();

        Executor executor = run.getExecutor();
        assertThat(executor).isNotNull();
        executor.interrupt();
        r.assertBuildStatus(Result.ABORTED, r.waitForCompletion(run));
        release.countDown();

        RecordedRequest revocation = awaitRequest("/revoke");
        assertThat(revocation.getBody().utf8()).contains("token=" + ACCESS_TOKEN);
        assertThat(requests).filteredOn(q -> q.getUrl().encodedPath().equals("/revoke")).hasSize(1);
        assertThat(JenkinsRule.getLog(run)).doesNotContain("inside:").doesNotContain(ACCESS_TOKEN)
                .doesNotContain(CLIENT_SECRET);
    }

    private RecordedRequest awaitRequest(String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (RecordedRequest request : requests) {
                if (request.getUrl().encodedPath().equals(path)) {
                    return request;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no request to " + path + " within 60 s; requests: " + requests);
    }

    @Test
    void theSnippetGeneratorWritesTheStep() throws Exception {
        WithEphemeralCredentialsStep step = new WithEphemeralCredentialsStep("deploy-prod");
        step.setAudience("sts.amazonaws.com");

        new SnippetizerTester(r).assertRoundTrip(step,
                "withEphemeralCredentials(audience: 'sts.amazonaws.com', profile: 'deploy-prod') {\n    // some block\n}");

        step.setTokenFile(true);
        new SnippetizerTester(r).assertRoundTrip(step,
                "withEphemeralCredentials(audience: 'sts.amazonaws.com', profile: 'deploy-prod', tokenFile: true) {\n    // some block\n}");
    }
}
