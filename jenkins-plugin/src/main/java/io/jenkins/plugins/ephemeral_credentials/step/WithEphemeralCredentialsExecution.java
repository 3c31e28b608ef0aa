package io.jenkins.plugins.ephemeral_credentials.step;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Computer;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;
import hudson.util.Secret;
import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.exchange.BlockStart;
import io.github.ephemeralcredentials.core.exchange.CleanupRecord;
import io.github.ephemeralcredentials.core.exchange.CredentialLifecycle;
import io.github.ephemeralcredentials.core.exchange.CredentialRequest;
import io.github.ephemeralcredentials.core.exchange.Exchange;
import io.github.ephemeralcredentials.core.exchange.ExchangeException;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.exchange.Plan;
import io.github.ephemeralcredentials.core.oidc.BuildToken;
import io.github.ephemeralcredentials.core.oidc.TokenFileRefresh;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.jenkins.plugins.ephemeral_credentials.config.EphemeralCredentialsConfiguration;
import io.jenkins.plugins.ephemeral_credentials.issuer.Issuer;
import io.jenkins.plugins.ephemeral_credentials.issuer.IssuerNotConfiguredException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.log.TaskListenerDecorator;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.FailureHandler;
import org.jenkinsci.plugins.workflow.steps.GeneralNonBlockingStepExecution;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Runs {@code withEphemeralCredentials}: everything that does I/O (minting, the provider call, writing files,
 * revoking) runs off the CPS VM thread, in {@link #run} and in the {@link TailCall} that ends the block.
 */
final class WithEphemeralCredentialsExecution extends GeneralNonBlockingStepExecution {

    private static final long serialVersionUID = 1L;

    private static final Logger LOGGER = Logger.getLogger(WithEphemeralCredentialsExecution.class.getName());

    /** For messages about the token file: whatever went wrong, no token reaches the controller log. */
    private static final Redactor TOKEN_SHAPED = Redactor.none().andSignedJwts();

    static final String TOKEN_FILE_VARIABLE = "EPHEMERAL_CREDENTIALS_TOKEN_FILE";

    private final String profile;
    private final String audience;
    private final boolean tokenFile;

    /** The aud the build's tokens carry: the step's, or the profile provider's default. */
    private String resolvedAudience;

    /** What the end of the block takes back: the core's cleanup record, encrypted, set once the credential exists. */
    private Secret cleanupRecord;
    private String provider;
    private Instant expiresAt;
    private String issuer;
    private String subject;
    private String tokenId;
    /** Files written under the workspace's {@code @tmp} directory, by name. */
    private final List<String> agentFiles = new ArrayList<>();
    /** Secrets to mask in cleanup messages too. */
    private final List<Secret> secrets = new ArrayList<>();

    /*
     * Token-file mode: what it takes to mint the file's next token, persisted with the step so a restarted controller
     * refreshes it again. None of it is secret: the file's name under @tmp, and the lifetime (with the run, profile
     * and audience, the token is minted anew from them; the token itself is never kept).
     */
    private String tokenFileName;
    private long tokenLifetimeSeconds;
    /** Set, under this execution's lock, once the block has ended: no token file is written after that. */
    private volatile boolean ended;
    /** Set once the block started with the credential: from then on the block's end cleans up. */
    private boolean bodyStarted;
    /** Set, under this execution's lock, by the one cleanup that runs: revocation happens once. */
    private boolean cleanedUp;

    private transient volatile ScheduledFuture<?> refresher;
    /** Whether an abort came before the block started (then {@link #begin} takes the credential back); in memory only. */
    private transient BlockStart blockStart;

    WithEphemeralCredentialsExecution(StepContext context, String profile, String audience, boolean tokenFile) {
        super(context);
        this.profile = profile;
        this.audience = audience;
        this.tokenFile = tokenFile;
    }

    @Override
    public boolean start() throws Exception {
        if (profile == null) {
            throw new AbortException("withEphemeralCredentials needs a profile: withEphemeralCredentials(profile: "
                    + "'deploy') { ... }");
        }
        run(this::begin);
        return false;
    }

    private synchronized BlockStart blockStart() {
        if (blockStart == null) {
            blockStart = new BlockStart();
        }
        return blockStart;
    }

    private void begin() throws Exception {
        StepContext context = getContext();
        Run<?, ?> run = context.get(Run.class);
        TaskListener listener = context.get(TaskListener.class);
        // Looked up now: after an abort the context is complete, and the cleanup below still needs both.
        FilePath workspace = context.get(FilePath.class);
        EphemeralCredentialsConfiguration config = EphemeralCredentialsConfiguration.get();
        Policy policy = config.trustPolicy().orElseThrow(() -> new AbortException("No Ephemeral Credentials trust "
                + "policy is configured, so every request is denied; an administrator writes one in Manage Jenkins > "
                + "Security > Ephemeral Credentials"));
        Plan plan = plan(policy);
        resolvedAudience = plan.audience();
        Duration lifetime = config.tokenLifetime();
        BuildToken token;
        try {
            token = Issuer.get().mint(run, resolvedAudience, lifetime);
        } catch (IssuerNotConfiguredException e) {
            throw new AbortException("withEphemeralCredentials(profile: '" + profile + "'): " + e.getMessage());
        }
        issuer = token.claims().issuer();
        subject = token.claims().subject();
        tokenId = token.claims().jwtId().orElse(null);
        secrets.add(Secret.fromString(token.token()));

        // The controller minted this token itself: its claims are verified by construction. The provider gets this
        // very token first (the claims the policy read are its), and fresh ones should its retries outlive it.
        AtomicBoolean first = new AtomicBoolean(true);
        ExchangeOutcome outcome = uninterruptibly("the exchange", () -> new Exchange(ProviderSet.forProfile(profile),
                AuditTrail.CLAIMS, Clock.systemUTC()).run(plan, token.claims(), () -> first.getAndSet(false)
                        ? token.token() : Issuer.get().mint(run, resolvedAudience, lifetime).token()));
        Redactor redactor = Redactor.of(token.token()).and(ProviderSet.secretsOf(profile));
        AuditTrail.write(outcome.audit(), redactor, listener);
        if (outcome instanceof ExchangeOutcome.Denied denied) {
            listener.getLogger().print(denied.decision().explain());
            throw new AbortException("withEphemeralCredentials: the trust policy denied profile '" + profile + "': "
                    + denied.decision().summary());
        }
        if (outcome instanceof ExchangeOutcome.Failed failed) {
            throw new AbortException("withEphemeralCredentials: " + failed.failure().provider() + " refused profile '"
                    + profile + "' (" + failed.failure().reason() + "): " + redactor.redact(failed.failure().getMessage()));
        }
        ExchangeOutcome.Issued issued = (ExchangeOutcome.Issued) outcome;
        EphemeralCredential credential = issued.credential();
        provider = credential.provider();
        expiresAt = credential.expiresAt();
        credential.secrets().forEach(s -> secrets.add(Secret.fromString(s)));
        issued.cleanup().secrets().forEach(s -> secrets.add(Secret.fromString(s)));
        // Files are moved to the agent below and deleted there at the end; the record keeps what to revoke.
        cleanupRecord = Secret.fromString(issued.cleanup().withFiles(new ArrayList<>()).toJson());
        if (blockStart().aborted()) {
            // Aborted while the provider call was in flight: the block will never run, take the credential back.
            takeBackAfterAbort(credential, listener, workspace);
            return;
        }
        try {
            Map<String, String> environment = environment(credential);
            if (tokenFile) {
                tokenFileName = agentFiles.get(0);
                tokenLifetimeSeconds = lifetime.toSeconds();
                environment.put(TOKEN_FILE_VARIABLE, tempDir().child(tokenFileName).getRemote());
                refreshTokenFile(false);
            }
            Set<String> sensitive = new LinkedHashSet<>();
            credential.values().stream().filter(v -> v.secret() && v.envVar() != null)
                    .map(CredentialValue::envVar).forEach(sensitive::add);
            if (!blockStart().start()) {
                // Aborted meanwhile (stop() already failed the step): the block will never run.
                takeBackAfterAbort(credential, listener, workspace);
                return;
            }
            bodyStarted = true;
            startBody(environment, sensitive);
        } catch (Exception | Error e) {
            // The block never ran: take the credential back now instead of leaving it valid until it expires.
            try {
                takeBackAfterAbort(credential, listener, workspace);
            } catch (Exception | Error cleanupFailure) {
                e.addSuppressed(cleanupFailure);
            }
            throw e;
        }
    }

    /**
     * Revokes a credential whose block will never run and deletes its files, those already moved to the agent and
     * those still on the controller. An abort interrupted this thread (and another stop request may interrupt it
     * again): the revocation must go out all the same.
     */
    private void takeBackAfterAbort(EphemeralCredential credential, TaskListener listener, FilePath workspace)
            throws Exception {
        for (Path local : credential.files()) {
            try {
                Files.deleteIfExists(local);
            } catch (IOException e) {
                listener.getLogger().println("[Ephemeral Credentials] WARNING: could not delete " + local
                        + " on the controller; delete it by hand, it holds credential material");
            }
        }
        uninterruptibly("the revocation", () -> {
            cleanUp(listener, workspace);
            return null;
        });
    }

    /** The longest a provider call may take, retries included, before the step gives up waiting for it. */
    private static final Duration PROVIDER_DEADLINE = Duration.ofMinutes(5);

    /**
     * Runs a provider call on core's I/O pool and waits for it through interrupts: an abort interrupts this thread, and
     * an exchange cut off halfway could leave a credential issued that nobody knows about (a revocation cut off, one
     * left valid). Once the exchange has returned, {@link BlockStart} decides who revokes. Bounded by
     * {@link #PROVIDER_DEADLINE}.
     */
    private <T> T uninterruptibly(String what, Callable<T> call) throws Exception {
        Future<T> running = Computer.threadPoolForRemoting.submit(call);
        long deadline = System.nanoTime() + PROVIDER_DEADLINE.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                } catch (TimeoutException e) {
                    running.cancel(true);
                    throw new AbortException("withEphemeralCredentials(profile: '" + profile + "'): " + what
                            + " did not finish within " + PROVIDER_DEADLINE.toMinutes() + " minutes; check that the "
                            + "provider is reachable from this controller (Jenkins' proxy settings apply)");
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * An abort (the build's stop button, a timeout) while this step itself runs: before its block started, or after
     * it ended. Before the start, {@link #begin} is still running (exchanging, or preparing the block) and takes back
     * whatever the exchange issued as soon as it sees the abort, when the provider call returns at the latest; this
     * method does no I/O, since it may run on the CPS VM thread. Its interrupt does not cut off the provider call (see
     * {@link #uninterruptibly}), so an issued credential is never lost to it.
     */
    @Override
    public void stop(Throwable cause) throws Exception {
        blockStart().abort();
        super.stop(cause);
    }

    /**
     * The step's request, resolved by the core: the audience defaults to the profile provider's; with
     * {@code tokenFile: true} the provider hands over the build's token in a file instead of exchanging it.
     */
    private Plan plan(Policy policy) throws AbortException {
        try {
            Plan plan = Exchange.plan(CredentialRequest.forProfile(profile).withAudience(audience)
                    .withTokenFile(tokenFile), policy);
            if (plan.audience() == null) {
                throw new AbortException("withEphemeralCredentials(profile: '" + profile + "'): provider '"
                        + plan.provider() + "' has no default audience; add audience: '...', the aud its trust "
                        + "configuration expects");
            }
            return plan;
        } catch (ExchangeException e) {
            throw new AbortException("withEphemeralCredentials(profile: '" + profile + "'): " + e.getMessage());
        }
    }

    /**
     * Rewrites the token file with a fresh token every half token lifetime, so SDKs that re-read it keep working in
     * builds longer than one token. The schedule lives in this controller's memory only; {@link #onResume} starts it
     * again after a restart, from the execution's persisted (non-secret) state.
     */
    private void refreshTokenFile(boolean immediately) {
        refresher = new TokenFileRefresh(Duration.ofSeconds(tokenLifetimeSeconds)).start(Timer.get(), immediately,
                this::writeFreshToken, e -> LOGGER.log(Level.WARNING, "withEphemeralCredentials(profile: ''{0}''): "
                        + "could not refresh the token file {1}; the build keeps the previous token until it expires: "
                        + "{2}", new Object[] {profile, tokenFileName, TOKEN_SHAPED.redact(String.valueOf(e))}));
    }

    /**
     * One refresh, from a {@link Timer} thread. The run and workspace are looked up each time rather than kept: after
     * an agent reconnects (or the controller restarts) the workspace is another {@link FilePath} object on another
     * channel.
     *
     * @return false once the block or the build is over
     */
    private boolean writeFreshToken() throws IOException, InterruptedException {
        if (ended) {
            return false;
        }
        StepContext context = getContext();
        Run<?, ?> run = context.get(Run.class);
        if (run == null || !run.isBuilding()) {
            return false;
        }
        FilePath workspace = context.get(FilePath.class);
        FilePath tmp = workspace == null ? null : WorkspaceList.tempDir(workspace);
        if (tmp == null) {
            throw new IOException("the workspace of " + run.getExternalizableId() + " is not available now");
        }
        String fresh = Issuer.get().mint(run, resolvedAudience, Duration.ofSeconds(tokenLifetimeSeconds)).token();
        synchronized (this) {
            if (ended) {
                // Cleanup deleted the file meanwhile: writing now would leave a token behind.
                return false;
            }
            tmp.child(tokenFileName).write(fresh, StandardCharsets.UTF_8.name());
        }
        return true;
    }

    /**
     * After a controller restart, the token file's schedule is gone and its last token may have expired: start it
     * again and rewrite the file at once. Pipeline calls this off the CPS VM thread, enclosing blocks (the
     * {@code node} owning the workspace) first.
     */
    @Override
    public void onResume() {
        // Persisted state: true if the controller went down while start()'s background part was running.
        boolean interruptedWhileStarting = blocksRestart();
        // Then this fails the step, and the block never runs: nothing to refresh, only what was issued to take back.
        super.onResume();
        if (interruptedWhileStarting && !bodyStarted) {
            cleanUpAfterFailedStart();
            return;
        }
        if (tokenFileName != null && !ended) {
            refreshTokenFile(true);
        }
    }

    private void cleanUpAfterFailedStart() {
        try {
            StepContext context = getContext();
            cleanUp(context.get(TaskListener.class), context.get(FilePath.class));
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "withEphemeralCredentials(profile: ''{0}''): could not clean up after a step the "
                    + "restart interrupted; delete {1} by hand, and the credential stays valid until it expires: {2}",
                    new Object[] {profile, agentFiles, TOKEN_SHAPED.redact(String.valueOf(e))});
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The credential's variables; files a provider wrote on the controller are moved to the workspace's
     * {@code @tmp} directory (mode 0600), where the build can read them, and variables naming them follow.
     */
    private Map<String, String> environment(EphemeralCredential credential) throws IOException, InterruptedException {
        Map<String, String> environment = new LinkedHashMap<>(credential.environment());
        if (credential.files().isEmpty()) {
            return environment;
        }
        FilePath tmp = tempDir();
        for (Path local : credential.files()) {
            FilePath remote = tmp.createTempFile("credential", "-" + local.getFileName());
            agentFiles.add(remote.getName());
            remote.chmod(0600);
            remote.write(Files.readString(local, StandardCharsets.UTF_8), StandardCharsets.UTF_8.name());
            Files.deleteIfExists(local);
            environment.replaceAll((name, value) -> value.equals(local.toString()) ? remote.getRemote() : value);
        }
        return environment;
    }

    private FilePath tempDir() throws IOException, InterruptedException {
        FilePath workspace = getContext().get(FilePath.class);
        if (workspace == null) {
            throw new AbortException("withEphemeralCredentials(profile: '" + profile + "') writes a file for the "
                    + "build, which needs a workspace: call it inside node { ... }");
        }
        FilePath tmp = WorkspaceList.tempDir(workspace);
        if (tmp == null) {
            throw new AbortException("the workspace " + workspace.getRemote() + " has no temporary directory");
        }
        tmp.mkdirs();
        return tmp;
    }

    private void startBody(Map<String, String> environment, Set<String> sensitive) throws IOException, InterruptedException {
        StepContext context = getContext();
        List<String> masked = plainSecrets();
        context.newBodyInvoker()
                .withContexts(
                        EnvironmentExpander.merge(context.get(EnvironmentExpander.class),
                                new CredentialEnvironment(environment, sensitive)),
                        TaskListenerDecorator.merge(context.get(TaskListenerDecorator.class), new SecretMasker(masked, tokenFile)),
                        FailureHandler.merge(context.get(FailureHandler.class), new SecretMaskingFailureHandler(masked)))
                .withCallback(new Cleanup())
                .start();
    }

    /** Ends the block, successful or not, off the CPS VM thread: revokes what can be, deletes the files. */
    private final class Cleanup extends TailCall {

        private static final long serialVersionUID = 1L;

        @Override
        protected void finished(StepContext context) throws Exception {
            cleanUp(context.get(TaskListener.class), context.get(FilePath.class));
        }
    }

    /**
     * Revokes what can be and deletes the credential's files, once, whoever asks first: the block's end, a failed start,
     * an abort before the block started, or a resume after a restart that interrupted the start.
     */
    private void cleanUp(TaskListener listener, FilePath workspace) throws IOException, InterruptedException {
        synchronized (this) {
            // A refresh in progress finishes writing before the file is deleted below; none starts after.
            ended = true;
            if (cleanedUp) {
                return;
            }
            cleanedUp = true;
        }
        ScheduledFuture<?> refreshing = refresher;
        if (refreshing != null) {
            refreshing.cancel(false);
        }
        Redactor redactor = Redactor.of(plainSecrets());
        List<String> problems = new ArrayList<>();
        CleanupRecord record = cleanupRecord == null ? null
                : CleanupRecord.fromJson(cleanupRecord.getPlainText(), "the step's saved cleanup record");
        if (record != null && !record.revocations().isEmpty()) {
            CredentialLifecycle.CleanupReport report = new CredentialLifecycle(
                    ProviderSet.forProfile(profile), Clock.systemUTC()).cleanup(record);
            report.failures().forEach(f -> problems.add(f.what() + ": " + redactor.redact(f.message())));
            AuditTrail.write(AuditRecord.builder().timestamp(Instant.now()).issuer(issuer).subject(subject)
                    .profile(profile).provider(provider).expiresAt(expiresAt).outcome(AuditRecord.Outcome.REVOKED)
                    .reason(report.clean() ? null : "REVOCATION_FAILED", null).tokenId(tokenId).build(),
                    redactor, listener);
        }
        if (!agentFiles.isEmpty() && workspace != null) {
            FilePath tmp = WorkspaceList.tempDir(workspace);
            for (String name : agentFiles) {
                try {
                    tmp.child(name).delete();
                } catch (IOException e) {
                    problems.add("file " + name + " in " + tmp.getRemote() + ": " + redactor.redact(e.getMessage())
                            + "; delete it by hand, it holds credential material");
                }
            }
        }
        for (String problem : problems) {
            listener.getLogger().println("[Ephemeral Credentials] WARNING: could not clean up " + problem);
        }
    }

    private List<String> plainSecrets() {
        List<String> plain = new ArrayList<>();
        secrets.forEach(secret -> plain.add(secret.getPlainText()));
        return plain;
    }
}
