package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.action.ActionException.Reason;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.audit.AuditFile;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.exchange.Plan;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.oidc.OidcException;
import io.github.ephemeralcredentials.core.oidc.UnverifiedClaims;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.exchange.CredentialLifecycle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The action's main step: inputs → one exchange through the core → masks, state, exported variables, outputs and
 * the job summary. Every secret is masked before anything else about the credential is written anywhere.
 */
public final class MainStep {

    /** The inputs of every step, whatever the provider (action.yml documents each; ActionYmlTest checks). */
    static final java.util.Set<String> GENERAL_INPUTS = java.util.Set.of("provider", "audience", "policy", "profile",
            "export-env", "output-credentials", "revoke", AuditLog.INPUT, StepDeadline.MAIN_INPUT,
            StepDeadline.POST_INPUT);

    private final Map<String, String> env;
    private final WorkflowCommands commands;
    private final Supplier<ActionRuntime> runtimes;

    public MainStep(Map<String, String> env, WorkflowCommands commands, ActionRuntime runtime) {
        this(env, commands, constant(Objects.requireNonNull(runtime, "runtime")));
    }

    /**
     * @param runtimes asked once, after the inputs (and any trust policy) are read: a container builds its HTTP
     *                 client meanwhile on another thread, since OkHttp's start-up probe is the longest single wait of a
     *                 cold start
     */
    public MainStep(Map<String, String> env, WorkflowCommands commands, Supplier<ActionRuntime> runtimes) {
        this.env = Map.copyOf(env);
        this.commands = Objects.requireNonNull(commands, "commands");
        this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
    }

    private static Supplier<ActionRuntime> constant(ActionRuntime runtime) {
        return () -> runtime;
    }

    /** @return the process exit code: 0 on success, 1 when the step must fail */
    public int run() {
        long start = System.nanoTime();
        try {
            ActionInputs inputs = new ActionInputs(env);
            StepDeadline deadline = StepDeadline.from(inputs, StepDeadline.MAIN_INPUT, StepDeadline.MAIN_DEFAULT, start);
            boolean exportEnv = inputs.bool("export-env", true);
            boolean outputCredentials = inputs.bool("output-credentials", false);
            boolean revoke = inputs.bool("revoke", true);
            RunnerFiles files = RunnerFiles.from(env);
            CoreExchange exchange = CoreExchange.prepare(inputs, workspace());
            AuditFile audit = AuditLog.from(inputs, env, workspace(), commands);
            Plan plan = exchange.plan();

            ActionRuntime runtime = runtimes.get();
            IdTokenClient tokens = IdTokenClient.fromEnvironment(env, runtime.http(), runtime.retries(), commands);
            // Every wait (the runner's endpoint, the provider, their retries) under the one deadline; what the
            // credential then takes (masks, files) is local and quick, and happens on this thread alone.
            Exchanged exchanged = deadline.run(runtime.http(), () -> {
                deadline.stage("fetching the job's OIDC token from the runner");
                String token = tokens.fetch(plan.audience());
                // Decoded, not verified: the provider verifies the token; the claims serve the pre-flight and messages.
                UnverifiedClaims claims = decode(token);
                deadline.stage("exchanging the token with " + plan.provider());
                try {
                    return new Exchanged(exchange.run(claims, tokens.supplier(plan.audience(), token), runtime, audit),
                            null, claims);
                } catch (ProviderException e) {
                    return new Exchanged(null, e, claims);
                }
            });
            if (exchanged.refusal() != null) {
                return refused(exchanged.refusal(), plan, exchanged.claims().claims());
            }
            publish(exchanged.issued(), files, exportEnv, outputCredentials, revoke, runtime, deadline);
            return 0;
        } catch (ActionException e) {
            e.detail().ifPresent(detail -> {
                commands.group(e.reason() == Reason.POLICY_DENIED ? "Trust policy decision (DENIED)" : "Details");
                commands.info(detail);
                commands.endGroup();
            });
            commands.error(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            // A defect or an environment fault (a runner file that cannot be written, a value the file-command
            // format cannot carry): one ::error:: line, never a stack trace; the messages name no secret.
            commands.error("the step failed: " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()) + " — if the inputs look right, re-run the job with ACTIONS_STEP_DEBUG=true "
                    + "and report it");
            return 1;
        }
    }

    /** What the waiting part of the step ends with: a credential, or the provider's refusal of these claims. */
    private record Exchanged(ExchangeOutcome.Issued issued, ProviderException refusal, UnverifiedClaims claims) {
    }

    private static UnverifiedClaims decode(String token) {
        try {
            return UnverifiedClaims.decode(token);
        } catch (OidcException e) {
            throw new ActionException(Reason.ID_TOKEN_UNAVAILABLE, "the runner's " + e.getMessage());
        }
    }

    private int refused(ProviderException e, Plan plan, Claims claims) {
        switch (e.reason()) {
            case ACCESS_DENIED, INVALID_TOKEN -> {
                ClaimsReport.print(commands, "The OIDC token " + plan.provider() + " refused (its non-secret claims)",
                        claims);
                commands.error(plan.provider() + " refused the job's OIDC token"
                        + (e.providerCode() == null ? "" : " (" + e.providerCode() + ")") + ": " + e.getMessage()
                        + " — compare the claims above with the trust configuration at " + plan.provider()
                        + " (sub and aud must match exactly, case-sensitively)");
            }
            case INVALID_PARAMETERS, INVALID_SCOPE -> commands.error(env.containsKey(ActionInputs.variable("policy"))
                    ? e.getMessage() + " — check the profile in the policy file and this step's `with:` inputs"
                    : ProviderInputs.inInputTerms(e)
                            + " — check this step's `with:` inputs");
            default -> commands.error(e.getMessage());
        }
        return 1;
    }

    private void publish(ExchangeOutcome.Issued issued, RunnerFiles files, boolean exportEnv,
                         boolean outputCredentials, boolean revoke, ActionRuntime runtime, StepDeadline deadline) {
        EphemeralCredential credential = issued.credential();
        if (exportEnv) {
            tooLargeToExport(credential).ifPresent(why -> {
                throw cleanedUp(issued, runtime, deadline, why + ", so nothing was exported");
            });
        }
        // 1. Masks, before any other byte about this credential reaches the log or a file the runner logs.
        credential.secrets().forEach(commands::addMask);
        List<String> exported = exportEnv ? new ArrayList<>(credential.environment().keySet()) : List.of();
        // What the post step would refuse to clean up (a file at a path of the profile's choosing) is not handed out.
        List<String> beyond = PostStep.scope(env, runtime).problems(issued.cleanup().withVariables(exported));
        if (!beyond.isEmpty()) {
            throw cleanedUp(issued, runtime, deadline, "the post step could not clean up what this profile writes ("
                    + String.join("; ", beyond) + "); in the action, write credential files with "
                    + "credentials-file: true (a gha-creds-* file in the workspace)");
        }
        String stateJson = issued.cleanup().withVariables(exported).toJson();
        // The revocations' own secrets (a refresh token is no value of the credential), each on its own: the runner
        // masks a value, not the parts of a JSON it happens to sit in.
        issued.cleanup().secrets().forEach(commands::addMask);
        commands.addMask(stateJson);

        // 2. State first: the post step runs even if a later write fails, and must find what to clean up.
        try {
            files.state().set(PostStep.STATE, stateJson);
        } catch (RuntimeException e) {
            throw cleanedUp(issued, runtime, deadline, "the cleanup state could not be saved to $GITHUB_STATE ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "), so no post step could clean up");
        }

        // 3. Exported variables, then outputs: non-secret ones always, secrets only when asked.
        if (exportEnv) {
            credential.environment().forEach(files.env()::set);
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        for (CredentialValue value : credential.values()) {
            if (!value.secret() || outputCredentials) {
                outputs.put(value.name(), value.value());
            }
        }
        credential.facts().forEach(outputs::putIfAbsent);
        String identity = identity(credential);
        if (!identity.isEmpty()) {
            outputs.putIfAbsent("principal", identity);
        }
        outputs.put("expiration", credential.expiresAt().toString());
        outputs.forEach(files.output()::set);

        // 4. The job summary and the log: facts only.
        files.summary().appendTable("Ephemeral credentials", List.of(new StepSummary.Row(credential.provider(),
                identity, scope(credential), credential.expiresAt().toString())));
        commands.info("Ephemeral credentials from " + credential.provider() + (identity.isEmpty() ? "" : " as " + identity)
                + ", expiring " + credential.expiresAt() + (exportEnv ? "; exported " + String.join(", ", exported)
                : "; not exported (export-env: false)") + (revoke ? "; the post step cleans up" : ""));
    }

    /**
     * No post step can clean up without the state: the credentials file (which may hold the runner's token
     * endpoint bearer) would stay in the workspace and revocable tokens would live until they expire. So the main
     * step cleans up at once, exports nothing, and fails.
     */
    private ActionException cleanedUp(ExchangeOutcome.Issued issued, ActionRuntime runtime,
                                      StepDeadline deadline, String why) {
        CredentialLifecycle.CleanupReport report = new CredentialLifecycle(runtime.providers(), Clock.systemUTC())
                .cleanup(issued.cleanup(), deadline.remaining().isZero() ? Duration.ofSeconds(5) : deadline.remaining());
        runtime.http().dispatcher().cancelAll();
        report.failures().forEach(f -> commands.warning("cleanup of " + f.what() + ": " + f.message()));
        return new ActionException(Reason.NOT_IN_RUNNER, why + ": the step cleaned up itself (revoked " + report.revoked()
                + " of " + issued.cleanup().revocations().size() + ", deleted " + report.deleted()
                + " file(s)) and exported nothing");
    }

    /** Linux's {@code MAX_ARG_STRLEN}: one {@code NAME=value} string of a process's environment, with its NUL. */
    static final int MAX_ENVIRONMENT_STRING = 128 * 1024;

    /** Why a value cannot be exported (it would stop every later step from starting), or empty. */
    private static java.util.Optional<String> tooLargeToExport(EphemeralCredential credential) {
        for (Map.Entry<String, String> variable : credential.environment().entrySet()) {
            long bytes = (variable.getKey() + "=" + variable.getValue())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1L;
            if (bytes > MAX_ENVIRONMENT_STRING) {
                String fileMode = io.github.ephemeralcredentials.core.exchange.Providers.descriptor(credential.provider())
                        .map(d -> d.tokenFileParameter()).map(p -> "use the provider's file mode (parameter `" + p
                                + "`) or ").orElse("");
                return java.util.Optional.of(variable.getKey() + " would be " + bytes + " bytes, over Linux's 128 KiB "
                        + "limit for one environment variable (every later step would fail to start); " + fileMode
                        + "set `export-env: false` (with `output-credentials: true` to read it from the step's outputs)");
            }
        }
        return java.util.Optional.empty();
    }

    /** Who the credential acts as: every provider states it as its {@code principal} fact. */
    private static String identity(EphemeralCredential credential) {
        return credential.facts().getOrDefault("principal", "");
    }

    /** What the credential may do: every provider states it as its {@code scope} fact. */
    private static String scope(EphemeralCredential credential) {
        return credential.facts().getOrDefault("scope", "");
    }

    private Path workspace() {
        String workspace = env.get("GITHUB_WORKSPACE");
        return Path.of(workspace == null || workspace.isBlank() ? "." : workspace);
    }
}
