package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main and post steps' host behaviour, in process, against the runner emulation. */
class MainStepTest {

    @TempDir
    Path dir;

    private RunnerEmulation runner;
    private final CanaryProvider provider = new CanaryProvider();
    private ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private ActionRuntime runtime;

    private static final Map<String, String> AWS_INPUTS = Map.of(
            "role-to-assume", "arn:aws:iam::123456789012:role/deploy",
            "aws-region", "eu-west-1");

    @BeforeEach
    void start() throws IOException {
        runner = new RunnerEmulation(dir);
        runtime = new ActionRuntime(HttpClients.create(HttpSettings.DEFAULT), Retries.immediate(2),
                Map.of("aws", provider));
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    private int main(Map<String, String> inputs) {
        return mainWith(runner.environment(inputs, true));
    }

    private int mainWith(Map<String, String> env) {
        stdout = new ByteArrayOutputStream();
        return new MainStep(env, new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)), runtime).run();
    }

    private int post(Map<String, String> inputs) throws IOException {
        Map<String, String> state = RunnerFileCommands.read(runner.step().state());
        Map<String, String> env = runner.postEnvironment(inputs, state);
        stdout = new ByteArrayOutputStream();
        return new PostStep(env, new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)), runtime).run();
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private List<String> secretsSeen() {
        List<String> secrets = new java.util.ArrayList<>(CanaryProvider.secrets());
        provider.requests.forEach(r -> secrets.add(r.ciToken().get()));
        return secrets;
    }

    @Test
    void exportsMasksAndSummarisesWithoutLeakingASecret() throws IOException {
        assertThat(main(AWS_INPUTS)).isZero();

        Canary.maskedBeforeAnythingElse(out(), secretsSeen());
        Canary.onlyInsideMasks(out(), secretsSeen());

        RunnerEmulation.StepFiles files = runner.step();
        assertThat(RunnerFileCommands.read(files.env())).containsExactly(
                Map.entry("AWS_ACCESS_KEY_ID", CanaryProvider.KEY_ID),
                Map.entry("AWS_SECRET_ACCESS_KEY", CanaryProvider.SECRET),
                Map.entry("AWS_SESSION_TOKEN", CanaryProvider.SESSION),
                Map.entry("AWS_REGION", "eu-west-1"));
        Map<String, String> outputs = RunnerFileCommands.read(files.output());
        assertThat(outputs).containsEntry("aws-account-id", "123456789012")
                .containsEntry("principal", "arn:aws:sts::123456789012:assumed-role/deploy/run-1")
                .containsEntry("expiration", "2030-01-01T00:15:00Z")
                .doesNotContainKeys("aws-access-key-id", "aws-secret-access-key", "aws-session-token");
        Canary.absent(String.join("\n", outputs.values()), secretsSeen());

        String summary = Files.readString(files.summary());
        assertThat(summary).contains("| ` aws ` | ` arn:aws:sts::123456789012:assumed-role/deploy/run-1 ` |")
                .contains("2030-01-01T00:15:00Z");
        Canary.absent(summary, secretsSeen());

        assertThat(RunnerFileCommands.read(files.state())).containsKey(PostStep.STATE);
        // The refresh token is masked on its own, not only inside the state's JSON.
        assertThat(out().lines()).contains("::add-mask::" + WorkflowCommands.escapeData(CanaryProvider.REFRESH));
        assertThat(out()).contains("::add-mask::" + WorkflowCommands.escapeData(
                RunnerFileCommands.read(files.state()).get(PostStep.STATE)));
    }

    @Test
    void mapsInputsToTheProvidersParametersAndRequestsItsAudience() {
        assertThat(main(Map.of("role-to-assume", "arn:aws:iam::123456789012:role/deploy",
                "role-duration-seconds", "1200s", "managed-session-policies", "arn:a\narn:b"))).isZero();
        var request = provider.requests.get(0);
        assertThat(request.parameters()).containsEntry("role-arn", "arn:aws:iam::123456789012:role/deploy");
        assertThat(request.scope()).containsEntry("policy-arns", List.of("arn:a", "arn:b"));
        assertThat(request.lifetime()).isEqualTo(Duration.ofSeconds(1200));
        assertThat(request.claims().audience()).containsExactly("sts.amazonaws.com");
        assertThat(request.claims().string("repository")).contains(RunnerEmulation.REPOSITORY);
        assertThat(runner.tokenRequests().get(0).getUrl().queryParameter("audience")).isEqualTo("sts.amazonaws.com");
    }

    @Test
    void secretsBecomeOutputsOnlyWhenAsked() throws IOException {
        Map<String, String> inputs = new HashMap<>(AWS_INPUTS);
        inputs.put("output-credentials", "true");
        inputs.put("export-env", "false");
        assertThat(main(inputs)).isZero();
        assertThat(RunnerFileCommands.read(runner.step().output()))
                .containsEntry("aws-secret-access-key", CanaryProvider.SECRET)
                .containsEntry("aws-session-token", CanaryProvider.SESSION);
        assertThat(Files.readString(runner.step().env())).isEmpty();
        Canary.onlyInsideMasks(out(), secretsSeen());
    }

    @Test
    void withoutTheIdTokenPermissionItSaysWhatToAddAndWritesNothing() throws IOException {
        assertThat(mainWith(runner.environment(AWS_INPUTS, false))).isEqualTo(1);
        assertThat(out()).startsWith("::error::").contains("add `permissions: id-token: write` to the job");
        assertThat(Files.size(runner.step().env()) + Files.size(runner.step().output())
                + Files.size(runner.step().state())).isZero();
        assertThat(provider.requests).isEmpty();
    }

    @Test
    void badInputsFailBeforeTheTokenIsRequested() {
        assertThat(main(Map.of("provider", "aws-sts"))).isEqualTo(1);
        assertThat(out()).contains("input `provider` is 'aws-sts'; use one of").contains("aws, azure");

        assertThat(main(Map.of("role-to-assume", "arn:x", "role-duration-seconds", "1 hour"))).isEqualTo(1);
        assertThat(out()).contains("`role-duration-seconds` is '1 hour'; write a number of seconds");

        assertThat(main(Map.of("role-to-assume", "arn:x", "export-env", "yes"))).isEqualTo(1);
        assertThat(out()).contains("`export-env` is 'yes'; write true or false");

        assertThat(main(Map.of())).isEqualTo(1);
        assertThat(out()).contains("no provider given; add `provider:`");

        assertThat(main(Map.of("role-to-assume", "arn:aws:iam::123456789012:role/deploy", "aws-region", "EU WEST"))).isEqualTo(1);
        assertThat(out()).contains("aws-region").contains("an AWS region such as 'us-east-1'");
        assertThat(main(Map.of("role-to-assume", "arn:aws:iam::123456789012:role/deploy", "role-session-name", "a b"))).isEqualTo(1);
        assertThat(out()).contains("role-session-name").contains("session name");
        assertThat(runner.tokenRequests()).isEmpty();
    }

    /**
     * Without saved state no post step can clean up: the main step revokes and deletes at once, exports nothing,
     * and fails saying so.
     */
    @Test
    void whenTheStateCannotBeSavedMainCleansUpItselfAndExportsNothing() throws IOException {
        Path file = provider.writeFile(runner.workspace());
        Map<String, String> env = new HashMap<>(runner.environment(AWS_INPUTS, true));
        env.put("GITHUB_STATE", Files.createDirectories(dir.resolve("state-is-a-directory")).toString());

        assertThat(mainWith(env)).isEqualTo(1);

        assertThat(provider.revoked).singleElement()
                .satisfies(r -> assertThat(r.parameters()).containsEntry("token", CanaryProvider.SECRET));
        assertThat(file).doesNotExist();
        assertThat(Files.readString(runner.step().env())).isEmpty();
        assertThat(Files.readString(runner.step().output())).isEmpty();
        assertThat(out().lines().filter(l -> l.startsWith("::error::"))).singleElement().asString()
                .contains("GITHUB_STATE").contains("revoked 1 of 1").contains("deleted 1 file");
        Canary.onlyInsideMasks(out(), secretsSeen());
    }

    /** Linux refuses to start a process with one environment string over 128 KiB: every later step would fail. */
    @Test
    void aValueTooLargeForTheEnvironmentIsRefusedNamingTheFileModeAndCleanedUp() throws IOException {
        String huge = "h".repeat(200 * 1024);
        CanaryProvider large = new CanaryProvider() {
            @Override
            public io.github.ephemeralcredentials.core.credential.EphemeralCredential exchange(
                    io.github.ephemeralcredentials.core.provider.ExchangeRequest request) {
                var issued = super.exchange(request);
                List<io.github.ephemeralcredentials.core.credential.CredentialValue> values =
                        new java.util.ArrayList<>(issued.values());
                values.add(io.github.ephemeralcredentials.core.credential.CredentialValue.secret("web-identity-token",
                        huge, "AWS_WEB_IDENTITY_TOKEN"));
                return new io.github.ephemeralcredentials.core.credential.EphemeralCredential(issued.provider(), values,
                        issued.facts(), issued.expiresAt(), issued.revocations(), issued.files());
            }
        };
        runtime = new ActionRuntime(runtime.http(), runtime.retries(), Map.of("aws", large));

        assertThat(main(AWS_INPUTS)).isEqualTo(1);

        assertThat(out().lines().filter(l -> l.startsWith("::error::"))).singleElement().asString()
                .contains("AWS_WEB_IDENTITY_TOKEN").contains("128 KiB").contains("web-identity-token-file")
                .contains("export-env: false");
        assertThat(Files.readString(runner.step().env())).isEmpty();
        assertThat(large.revoked).hasSize(1);
        assertThat(out()).doesNotContain(huge);
    }

    @Test
    void aRunnerFileThatCannotBeWrittenIsOneErrorLineNotAStackTrace() throws IOException {
        Map<String, String> env = new HashMap<>(runner.environment(AWS_INPUTS, true));
        env.put("GITHUB_OUTPUT", Files.createDirectories(dir.resolve("not-a-file")).toString());
        assertThat(mainWith(env)).isEqualTo(1);
        assertThat(out().lines().filter(l -> l.startsWith("::error::"))).singleElement().asString()
                .startsWith("::error::the step failed: ");
        assertThat(out()).doesNotContain("\tat ", "Exception");
        Canary.onlyInsideMasks(out(), secretsSeen());
    }

    @Test
    void aProviderDenialShowsThePresentedClaimsInAGroup() {
        runner.claim("environment", "production");
        provider.failure = new ProviderException("aws", ProviderException.Reason.ACCESS_DENIED, "AccessDenied",
                "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        assertThat(main(AWS_INPUTS)).isEqualTo(1);

        List<String> lines = out().lines().toList();
        int group = lines.indexOf("::group::The OIDC token aws refused (its non-secret claims)");
        assertThat(group).isPositive();
        assertThat(lines.subList(group + 1, group + 8)).containsExactly(
                "sub: repo:octo-org/octo-repo:environment:production",
                "aud: sts.amazonaws.com",
                "repository: octo-org/octo-repo",
                "ref: refs/heads/main",
                "environment: production",
                "job_workflow_ref: octo-org/octo-repo/.github/workflows/deploy.yml@refs/heads/main",
                "runner_environment: github-hosted");
        assertThat(lines.get(group + 8)).isEqualTo("::endgroup::");
        assertThat(lines.get(group + 9)).startsWith("::error::aws refused the job's OIDC token (AccessDenied): "
                + "Not authorized to perform sts:AssumeRoleWithWebIdentity");
        Canary.onlyInsideMasks(out(), secretsSeen());
    }

    @Test
    void postRevokesDeletesFilesAndBlanksTheExportedVariables() throws IOException {
        Path file = provider.writeFile(runner.workspace());
        assertThat(main(AWS_INPUTS)).isZero();

        assertThat(post(AWS_INPUTS)).isZero();
        assertThat(provider.revoked).singleElement()
                .satisfies(r -> assertThat(r.parameters()).containsEntry("token", CanaryProvider.SECRET));
        assertThat(file).doesNotExist();
        assertThat(RunnerFileCommands.read(runner.step().env())).containsOnly(
                Map.entry("AWS_ACCESS_KEY_ID", ""), Map.entry("AWS_SECRET_ACCESS_KEY", ""),
                Map.entry("AWS_SESSION_TOKEN", ""), Map.entry("AWS_REGION", ""));
        assertThat(out()).contains("revoked 1 of 1, deleted 1 file(s), blanked 4 variable(s)");
        Canary.onlyInsideMasks(out(), secretsSeen());
    }

    /** A state someone else wrote (through GITHUB_ENV, or an injected command) is refused whole, with one warning. */
    @Test
    void postRefusesAStateThatReachesBeyondWhatTheMainStepCreated() throws IOException {
        Path rootOnly = Files.writeString(dir.resolve("root-only"), "precious");
        for (String tampered : List.of(
                tamperedState(List.of(rootOnly.toString()), List.of("AWS_SESSION_TOKEN"), "https://vault.example"),
                tamperedState(List.of(), List.of("PATH", "LD_PRELOAD", "GITHUB_TOKEN"), "https://vault.example"),
                tamperedState(List.of(), List.of("AWS_SESSION_TOKEN"), "http://vault.example:8200"))) {
            runner.newStep();
            Map<String, String> env = runner.postEnvironment(AWS_INPUTS, Map.of(PostStep.STATE, tampered));
            stdout = new ByteArrayOutputStream();
            assertThat(new PostStep(env, new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)),
                    runtime).run()).isZero();
            assertThat(out().lines().filter(l -> l.startsWith("::warning::"))).singleElement().asString()
                    .contains("refused").doesNotContain("s.canary-vault-token");
            assertThat(provider.revoked).isEmpty();
            assertThat(Files.readString(runner.step().env())).isEmpty();
            assertThat(rootOnly).hasContent("precious");
        }
    }

    /** A file the post step would refuse to touch (a path of the profile's choosing) is never handed out. */
    @Test
    void aCredentialFileOutsideWhatThePostStepCleansIsCleanedUpByMainAndNothingIsExported() throws IOException {
        Path outside = Files.createDirectories(dir.resolve("elsewhere"));
        provider.file = Files.writeString(outside.resolve("aws-credentials"), "[default]\n");

        assertThat(main(AWS_INPUTS)).isEqualTo(1);

        assertThat(out().lines().filter(l -> l.startsWith("::error::"))).singleElement().asString()
                .contains("the post step could not clean up what this profile writes")
                .contains("credentials-file: true");
        assertThat(provider.file).doesNotExist();
        assertThat(provider.revoked).hasSize(1);
        assertThat(Files.readString(runner.step().env())).isEmpty();
        assertThat(Files.readString(runner.step().state())).isEmpty();
    }

    private static String tamperedState(List<String> files, List<String> variables, String vaultAddress) {
        return new io.github.ephemeralcredentials.core.exchange.CleanupRecord("aws", CanaryProvider.EXPIRES,
                List.of(new io.github.ephemeralcredentials.core.credential.Revocation("aws", "canary",
                        Map.of("address", vaultAddress, "token", "s.canary-vault-token"))), files, variables).toJson();
    }

    /** The runner's token endpoint accepts and never answers: the step stops at its deadline and names that wait. */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aHangingTokenEndpointEndsTheStepAtItsDeadlineNamingTheWait() throws IOException {
        try (HangingPeer peer = new HangingPeer()) {
            Map<String, String> inputs = new HashMap<>(AWS_INPUTS);
            inputs.put("main-deadline-seconds", "2");
            Map<String, String> env = new HashMap<>(runner.environment(inputs, true));
            env.put("ACTIONS_ID_TOKEN_REQUEST_URL", peer.url("/idtoken?api-version=2.0"));

            assertThat(mainWith(env)).isEqualTo(1);

            assertThat(out().lines().filter(l -> l.startsWith("::error::"))).singleElement().asString()
                    .contains("deadline of 2 s (input `main-deadline-seconds`) ran out")
                    .contains("fetching the job's OIDC token")
                    .contains(peer.url("/idtoken"));
            assertThat(peer.connections()).isPositive();
            assertThat(provider.requests).isEmpty();
            assertThat(Files.readString(runner.step().env())).isEmpty();
        }
    }

    @Test
    void aDeadlineOutsideItsRangeIsRefusedBeforeAnythingIsAsked() {
        Map<String, String> inputs = new HashMap<>(AWS_INPUTS);
        inputs.put("main-deadline-seconds", "0");
        assertThat(main(inputs)).isEqualTo(1);
        assertThat(out()).contains("input `main-deadline-seconds` is 0");
        assertThat(runner.tokenRequests()).isEmpty();
    }

    /**
     * Two revocations whose endpoint never answers: the post step stops at its deadline, warns about each by name
     * and endpoint, and still deletes the files and blanks the variables.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void hangingRevocationsEndAtThePostDeadlineAndTheRestIsStillCleanedUp() throws IOException {
        Path file = provider.writeFile(runner.workspace());
        assertThat(main(AWS_INPUTS)).isZero();
        try (HangingPeer peer = new HangingPeer()) {
            CanaryProvider hanging = new CanaryProvider() {
                @Override
                public void revoke(io.github.ephemeralcredentials.core.credential.Revocation revocation) {
                    try (okhttp3.Response ignored = runtime.http().newCall(new okhttp3.Request.Builder()
                            .url(peer.url("/revoke")).build()).execute()) {
                        throw new IllegalStateException("the hanging peer answered");
                    } catch (IOException e) {
                        throw new ProviderException("aws", ProviderException.Reason.UNAVAILABLE, null, e.getMessage());
                    }
                }
            };
            runtime = new ActionRuntime(runtime.http(), runtime.retries(), Map.of("aws", hanging));
            Map<String, String> inputs = new HashMap<>(AWS_INPUTS);
            inputs.put("post-deadline-seconds", "2");

            assertThat(post(inputs)).isZero();

            assertThat(out().lines().filter(l -> l.startsWith("::warning::"))).singleElement().asString()
                    .contains("cleanup of aws/canary: did not finish within the deadline")
                    .contains("input `post-deadline-seconds`").contains(peer.url("/revoke"));
            assertThat(file).doesNotExist();
            assertThat(RunnerFileCommands.read(runner.step().env())).containsEntry("AWS_SECRET_ACCESS_KEY", "");
            Canary.onlyInsideMasks(out(), secretsSeen());
        }
    }

    @Test
    void revokeFalseKeepsEverything() throws IOException {
        Path file = provider.writeFile(runner.workspace());
        Map<String, String> inputs = new HashMap<>(AWS_INPUTS);
        inputs.put("revoke", "false");
        assertThat(main(inputs)).isZero();
        assertThat(post(inputs)).isZero();
        assertThat(provider.revoked).isEmpty();
        assertThat(file).exists();
        assertThat(Files.readString(runner.step().env())).isEmpty();
    }

    @Test
    void postAfterAFailedMainHasNothingToDo() throws IOException {
        assertThat(mainWith(runner.environment(AWS_INPUTS, false))).isEqualTo(1);
        assertThat(post(AWS_INPUTS)).isZero();
        assertThat(out()).contains("Nothing to clean up");
    }

    @Test
    void aFailedRevocationIsAWarningNotAFailure() throws IOException {
        assertThat(main(AWS_INPUTS)).isZero();
        CanaryProvider failing = new CanaryProvider() {
            @Override
            public void revoke(io.github.ephemeralcredentials.core.credential.Revocation revocation) {
                throw new ProviderException("aws", ProviderException.Reason.UNAVAILABLE, null, "endpoint down for token " + CanaryProvider.SECRET);
            }
        };
        runtime = new ActionRuntime(runtime.http(), runtime.retries(), Map.of("aws", failing));
        assertThat(post(AWS_INPUTS)).isZero();
        assertThat(out()).contains("::warning::cleanup of aws/canary: ProviderException: endpoint down for token ****")
                .contains("stays valid until it expires at 2030-01-01T00:15:00Z");
        Canary.onlyInsideMasks(out(), secretsSeen());
        assertThat(RunnerFileCommands.read(runner.step().env())).containsEntry("AWS_SECRET_ACCESS_KEY", "");
    }

    private void writePolicy() throws IOException {
        Files.createDirectories(runner.workspace().resolve(".github"));
        Files.writeString(runner.workspace().resolve(".github/credentials-policy.yaml"), """
                version: 1
                profiles:
                  deploy:
                    provider: aws
                    maxLifetime: 20m
                    parameters:
                      role-arn: arn:aws:iam::123456789012:role/deploy
                rules:
                  - name: main-only
                    issuer: %s
                    profiles: [deploy]
                    claims:
                      repository: octo-org/octo-repo
                      ref: refs/heads/main
                """.formatted(runner.issuerUrl()));
    }

    @Test
    void aPolicyProfileFixesTheParametersAndCapsTheLifetime() throws IOException {
        writePolicy();
        assertThat(main(Map.of("policy", ".github/credentials-policy.yaml", "profile", "deploy",
                "role-duration-seconds", "3600"))).isZero();
        var request = provider.requests.get(0);
        assertThat(request.parameters()).containsExactly(Map.entry("role-arn", "arn:aws:iam::123456789012:role/deploy"));
        assertThat(request.lifetime()).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void aPolicyDenialExplainsClaimByClaimAndNeverCallsTheProvider() throws IOException {
        writePolicy();
        runner.claim("ref", "refs/heads/feature");
        assertThat(main(Map.of("policy", ".github/credentials-policy.yaml", "profile", "deploy"))).isEqualTo(1);
        assertThat(provider.requests).isEmpty();
        assertThat(out()).contains("::group::Trust policy decision (DENIED)")
                .contains("[FAIL] ref").contains("refs/heads/feature")
                .contains("::error::the trust policy denied profile 'deploy': no rule for this profile matched");
        Canary.onlyInsideMasks(out(), secretsSeen());
    }

    @Test
    void aGitHubAppProfileIsRefusedInTheJobForItsClaimsAreUnverifiedAndNothingIsIssued() throws IOException {
        CanaryProvider app = new CanaryProvider();
        runtime = new ActionRuntime(runtime.http(), runtime.retries(), Map.of("github-app", app));
        Files.createDirectories(runner.workspace().resolve(".github"));
        Files.writeString(runner.workspace().resolve(".github/credentials-policy.yaml"), """
                version: 1
                profiles:
                  release:
                    provider: github-app
                    maxLifetime: 10m
                    parameters: {app-id: "424242", private-key-env: GITHUB_APP_KEY, owner: octo-org}
                rules:
                  - name: anyone-can-write-these-claims
                    issuer: %s
                    profiles: [release]
                    claims: {repository: octo-org/octo-repo}
                """.formatted(runner.issuerUrl()));

        assertThat(main(Map.of("policy", ".github/credentials-policy.yaml", "profile", "release",
                "audience", "https://github.com/octo-org"))).isEqualTo(1);

        assertThat(app.requests).as("the App provider is never called").isEmpty();
        assertThat(out()).contains("::error::provider 'github-app' never shows the CI token to anyone who verifies it")
                .contains("token-exchange service");
        assertThat(RunnerFileCommands.read(runner.step().env())).isEmpty();
        Canary.onlyInsideMasks(out(), secretsSeen());
    }

    @Test
    void policyInputsAreCheckedBeforeTheTokenIsRequested() throws IOException {
        writePolicy();
        assertThat(main(Map.of("policy", ".github/credentials-policy.yaml", "profile", "nope"))).isEqualTo(1);
        assertThat(out()).contains("defines no profile 'nope'; it defines deploy");
        assertThat(main(Map.of("policy", ".github/credentials-policy.yaml", "profile", "deploy",
                "role-to-assume", "arn:aws:iam::1:role/other"))).isEqualTo(1);
        assertThat(out()).contains("remove input(s) role-to-assume");
        assertThat(main(Map.of("policy", "missing.yaml", "profile", "deploy"))).isEqualTo(1);
        assertThat(out()).contains("the trust policy cannot be used").contains("no such file");
        assertThat(runner.tokenRequests()).isEmpty();
    }

    private List<String> auditLines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void writesOneAuditLinePerExchangeUnderRunnerTempWithoutASecret() throws IOException {
        assertThat(main(AWS_INPUTS)).isZero();

        Path audit = Path.of(runner.environment(Map.of(), true).get("RUNNER_TEMP")).resolve(AuditLog.DEFAULT_NAME);
        List<String> lines = auditLines(audit);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("{").endsWith("}")
                .contains("\"outcome\":\"ISSUED\"").contains("\"provider\":\"aws\"")
                .contains("\"subject\":\"" + runner.subject() + "\"")
                .contains("\"repository\":\"" + RunnerEmulation.REPOSITORY + "\"")
                .contains("\"expiresAt\":\"2030-01-01T00:15:00Z\"");
        Canary.absent(lines.get(0), secretsSeen());
    }

    @Test
    void theInventoryReadsTheActionsAuditTrail() throws IOException {
        assertThat(main(AWS_INPUTS)).isZero();
        Path audit = Path.of(runner.environment(Map.of(), true).get("RUNNER_TEMP")).resolve(AuditLog.DEFAULT_NAME);

        io.github.ephemeralcredentials.core.audit.inventory.Inventory inventory =
                io.github.ephemeralcredentials.core.audit.inventory.Inventory.read(List.of(audit));

        assertThat(inventory.problems()).isEmpty();
        assertThat(inventory.profiles()).singleElement().satisfies(p -> {
            assertThat(p.issued()).isEqualTo(1);
            assertThat(p.subjects()).containsExactly(runner.subject());
            assertThat(p.firstUse()).isNotNull();
        });
    }

    @Test
    void aRefusalIsAuditedWithTheSecretsItQuotedRedacted() throws IOException {
        // A provider that quotes the presented CI token back in its message: it does not reach the audit.
        String ciToken = runner.issuer().mint(runner.subject(), List.of("sts.amazonaws.com"), Duration.ofMinutes(5),
                runner.claims());
        runner.mintWith(audience -> ciToken);
        provider.failure = new ProviderException("aws", ProviderException.Reason.ACCESS_DENIED, "AccessDenied",
                "not authorized for token " + ciToken);
        Path audit = runner.workspace().resolve("audit/trail.jsonl");
        Files.createDirectories(audit.getParent());
        Map<String, String> inputs = new HashMap<>(AWS_INPUTS);
        inputs.put("audit-log", "audit/trail.jsonl");

        assertThat(main(inputs)).isEqualTo(1);

        List<String> lines = auditLines(audit);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("\"outcome\":\"DENIED\"").contains("\"reason\":\"ACCESS_DENIED/AccessDenied\"")
                .contains("not authorized for token");
        Canary.absent(lines.get(0), List.of(ciToken));
    }

    @Test
    void auditLogNoneWritesNothingAndAnUnwritableLogIsAWarningNotAFailure() throws IOException {
        Map<String, String> inputs = new HashMap<>(AWS_INPUTS);
        inputs.put("audit-log", "none");
        assertThat(main(inputs)).isZero();
        Path runnerTemp = Path.of(runner.environment(Map.of(), true).get("RUNNER_TEMP"));
        assertThat(runnerTemp.resolve(AuditLog.DEFAULT_NAME)).doesNotExist();

        runner.newStep();
        inputs.put("audit-log", "no/such/dir/trail.jsonl");
        assertThat(main(inputs)).isZero();
        assertThat(out()).contains("::warning::could not append the audit record to ")
                .contains("check that its directory exists");
        Canary.onlyInsideMasks(out(), secretsSeen());
    }

    /** A link planted at the audit log's place (default or named) is never written through, as root or not. */
    @Test
    void theAuditLogIsNeverWrittenThroughALinkNorOutsideTheWorkspace() throws IOException {
        Path rootOnly = Files.writeString(dir.resolve("root-only"), "precious\n");
        Path runnerTemp = Path.of(runner.environment(Map.of(), true).get("RUNNER_TEMP"));
        Files.createSymbolicLink(runnerTemp.resolve(AuditLog.DEFAULT_NAME), rootOnly);
        Files.createSymbolicLink(runner.workspace().resolve("trail.jsonl"), rootOnly);

        assertThat(main(AWS_INPUTS)).isZero();
        assertThat(out()).contains("::warning::could not append the audit record").contains("link");
        runner.newStep();
        Map<String, String> inputs = new HashMap<>(AWS_INPUTS);
        inputs.put("audit-log", "trail.jsonl");
        assertThat(main(inputs)).isZero();
        assertThat(out()).contains("::warning::could not append the audit record").contains("link");
        assertThat(rootOnly).hasContent("precious");

        runner.newStep();
        inputs.put("audit-log", "../" + rootOnly.getFileName());
        assertThat(main(inputs)).isEqualTo(1);
        assertThat(out()).contains("::error::input `audit-log`").contains("inside the workspace");
        assertThat(runner.tokenRequests()).hasSize(2);
        assertThat(rootOnly).hasContent("precious");
    }
}
