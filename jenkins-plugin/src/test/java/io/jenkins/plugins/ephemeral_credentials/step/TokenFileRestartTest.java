package io.jenkins.plugins.ephemeral_credentials.step;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import hudson.FilePath;
import hudson.slaves.WorkspaceList;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import jenkins.model.Jenkins;
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
 * Token-file mode across a controller restart: the refresh schedule lives in memory only, so the resumed step must
 * start it again from what Pipeline persisted (which holds no token) and rewrite the file at once.
 */
class TokenFileRestartTest {

    @RegisterExtension
    private static final BuildWatcherExtension BUILD_WATCHER = new BuildWatcherExtension();

    @RegisterExtension
    private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

    @Test
    void theTokenFileIsRewrittenAtOnceWhenTheBuildResumesAndDeletedAtTheEnd() throws Throwable {
        String[] before = new String[1];
        String[] fileName = new String[1];
        sessions.then(r -> {
            EphemeralCredentialsConfiguration.get().setPolicy("""
                    version: 1
                    profiles:
                      deploy:
                        provider: aws
                        maxLifetime: 15m
                        parameters:
                          role-arn: arn:aws:iam::123456789012:role/deploy
                          region: eu-west-1
                    rules:
                      - name: the-deploy-job
                        issuer: %sephemeral-credentials-oidc
                        profiles: [deploy]
                        claims:
                          aud: sts.amazonaws.com
                          sub: "job:deploy"
                    """.formatted(r.getURL()));
            WorkflowJob job = r.createProject(WorkflowJob.class, "deploy");
            job.setDefinition(new CpsFlowDefinition("""
                    node {
                        withEphemeralCredentials(profile: 'deploy', tokenFile: true) {
                            semaphore 'restart'
                            echo "token after the restart: ${readFile(env.AWS_WEB_IDENTITY_TOKEN_FILE)}"
                        }
                    }
                    """, true));
            WorkflowRun run = job.scheduleBuild2(0).waitForStart();
            SemaphoreStep.waitForStart("restart/1", run);
            FilePath file = tokenFile(r, job);
            fileName[0] = file.getName();
            before[0] = file.readToString();
            assertThat(before[0]).startsWith("ey");
        });
        sessions.then(r -> {
            WorkflowJob job = r.jenkins.getItemByFullName("deploy", WorkflowJob.class);
            WorkflowRun run = job.getBuildByNumber(1);
            // What Pipeline persisted to resume the step: the token in none of it (secrets only encrypted).
            assertThat(filesUnder(run.getRootDir())).allSatisfy(file -> assertThat(Files.readAllBytes(file))
                    .asString(StandardCharsets.ISO_8859_1).doesNotContain(before[0]));

            String after = awaitNewToken(r, job, before[0]);
            JWTClaimsSet old = SignedJWT.parse(before[0]).getJWTClaimsSet();
            JWTClaimsSet fresh = SignedJWT.parse(after).getJWTClaimsSet();
            assertThat(fresh.getSubject()).isEqualTo(old.getSubject()).isEqualTo("job:deploy");
            assertThat(fresh.getAudience()).containsExactly("sts.amazonaws.com");
            assertThat(fresh.getIssuer()).isEqualTo(old.getIssuer());
            assertThat(fresh.getExpirationTime().toInstant()).isAfter(Instant.now());
            assertThat(fresh.getIssueTime()).isAfterOrEqualTo(old.getIssueTime());

            SemaphoreStep.success("restart/1", null);
            r.assertBuildStatusSuccess(r.waitForCompletion(run));
            assertThat(JenkinsRule.getLog(run)).contains("token after the restart: ****")
                    .doesNotContain(before[0]).doesNotContain(after);
            assertThat(tempDir(r, job).child(fileName[0]).exists()).isFalse();
        });
    }

    private static FilePath tempDir(JenkinsRule r, WorkflowJob job) {
        return WorkspaceList.tempDir(r.jenkins.getWorkspaceFor(job));
    }

    private static FilePath tokenFile(JenkinsRule r, WorkflowJob job) throws Exception {
        FilePath[] files = tempDir(r, job).list("oidc-token*");
        assertThat(files).hasSize(1);
        return files[0];
    }

    /** Polls for the rewritten file; a resumed step rewrites it as soon as Pipeline has resumed it. */
    private static String awaitNewToken(JenkinsRule r, WorkflowJob job, String before) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        while (Instant.now().isBefore(deadline)) {
            String now = tokenFile(r, job).readToString();
            if (!now.equals(before)) {
                return now;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the token file was not rewritten within a minute of the build resuming on "
                + Jenkins.get().getRootUrl());
    }

    private static List<Path> filesUnder(File dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir.toPath())) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
