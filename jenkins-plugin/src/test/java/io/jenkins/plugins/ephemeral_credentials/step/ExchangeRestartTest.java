package io.jenkins.plugins.ephemeral_credentials.step;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.util.Secret;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import io.jenkins.plugins.ephemeral_credentials.config.ProfileSecret;
import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.test.steps.SemaphoreStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.BuildWatcherExtension;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/**
 * Exchange mode across a controller restart: what the block needs after the restart (its variables, the secrets to
 * mask, the record of what to revoke) comes back from what Pipeline persisted, in which no secret is readable, and the
 * block's end still revokes the credential issued before the restart. The token endpoint is {@code mockwebserver3}
 * answering as RFC 8693 §2.2.1 and RFC 7009 §2.2 specify, running across both sessions.
 */
class ExchangeRestartTest {

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    private static final String ACCESS_TOKEN = "canary-restart-access-token-5e6f7a8b";
    private static final String CLIENT_SECRET = "canary-restart-client-secret-1c2d";

    @Test
    void theBlockKeepsItsCredentialAcrossARestartAndItsEndRevokesIt() throws Throwable {
        List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    requests.add(request);
                    if (request.getUrl().encodedPath().equals("/token")) {
                        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                                .setHeader("Cache-Control", "no-store")
                                .body("{\"access_token\":\"" + ACCESS_TOKEN + "\",\"issued_token_type\":"
                                        + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"Bearer\","
                                        + "\"expires_in\":600}")
                                .build();
                    }
                    return new MockResponse.Builder().code(200).build();
                }
            });
            server.start(InetAddress.getLoopbackAddress(), 0);
            String base = "http://127.0.0.1:" + server.getPort();

            sessions.then(r -> {
                SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(
                        CredentialsScope.GLOBAL, "deploy-client-secret", "", Secret.fromString(CLIENT_SECRET)));
                SystemCredentialsProvider.getInstance().save();
                EphemeralCredentialsConfiguration config = EphemeralCredentialsConfiguration.get();
                config.setProfileSecrets(List.of(new ProfileSecret("deploy", "CLIENT_SECRET", "deploy-client-secret")));
                config.setPolicy("""
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
                              sub: "job:deploy"
                        """.formatted(base, base, r.getURL()));
                WorkflowJob job = r.createProject(WorkflowJob.class, "deploy");
                job.setDefinition(new CpsFlowDefinition("""
                        withEphemeralCredentials(profile: 'deploy', audience: 'https://auth.example.com') {
                            semaphore 'restart'
                            if (env.ACCESS_TOKEN != '%s') { error 'the access token is not bound after the restart' }
                            echo "after the restart: ${env.ACCESS_TOKEN}"
                        }
                        """.formatted(ACCESS_TOKEN), true));
                WorkflowRun run = job.scheduleBuild2(0).waitForStart();
                SemaphoreStep.waitForStart("restart/1", run);
                assertThat(requests).extracting(q -> q.getUrl().encodedPath()).containsExactly("/token");
            });
            sessions.then(r -> {
                WorkflowRun run = r.jenkins.getItemByFullName("deploy", WorkflowJob.class).getBuildByNumber(1);
                // What Pipeline persisted to resume the block: no secret readable in any of it.
                for (Path file : filesUnder(run.getRootDir())) {
                    assertThat(Files.readAllBytes(file)).asString(StandardCharsets.ISO_8859_1).as(file.toString())
                            .doesNotContain(ACCESS_TOKEN).doesNotContain(CLIENT_SECRET);
                }

                SemaphoreStep.success("restart/1", null);
                r.assertBuildStatusSuccess(r.waitForCompletion(run));

                assertThat(JenkinsRule.getLog(run)).contains("after the restart: ****")
                        .contains("REVOKED profile 'deploy' (token-exchange) of job:deploy")
                        .doesNotContain(ACCESS_TOKEN).doesNotContain(CLIENT_SECRET);
                assertThat(requests).extracting(q -> q.getUrl().encodedPath()).containsExactly("/token", "/revoke");
                assertThat(requests.get(1).getBody().utf8()).contains("token=" + ACCESS_TOKEN);
            });
        }
    }

    private static List<Path> filesUnder(File dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir.toPath())) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
