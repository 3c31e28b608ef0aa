package io.github.ephemeralcredentials.demo;

import io.github.ephemeralcredentials.action.ActionRuntime;
import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.anomaly.Signal;
import io.github.ephemeralcredentials.core.audit.inventory.Inventory;
import io.github.ephemeralcredentials.core.audit.inventory.InventoryOptions;
import io.github.ephemeralcredentials.core.audit.inventory.InventoryTable;
import io.github.ephemeralcredentials.core.audit.inventory.ProfileUsage;
import io.github.ephemeralcredentials.core.exchange.CredentialLifecycle;
import io.github.ephemeralcredentials.core.exchange.CredentialRequest;
import io.github.ephemeralcredentials.core.exchange.Exchange;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.exchange.Plan;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.oidc.BuildToken;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.policy.Decision;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.policy.PolicyLoader;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.demo.Narration.Kind;
import io.github.ephemeralcredentials.demo.Narration.Line;
import io.github.ephemeralcredentials.demo.Narration.Section;
import io.github.ephemeralcredentials.demo.RunnerStandIn.StepRun;
import io.github.ephemeralcredentials.service.TokenExchangeService;
import io.github.ephemeralcredentials.service.config.ServiceConfigReader;
import io.github.ephemeralcredentials.service.state.MemoryState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code ephemeral-credentials demo}: the project doing what it exists for, on loopback, in seconds. Two CI issuers
 * (a GitHub Actions runner, a Jenkins controller), the token-exchange service with a built-in policy, and a deploy
 * API that trusts the service; then the action's real main and post steps and the Jenkins step's exchange, each step
 * checked, so the demo is also a smoke test: it answers 0 only when every step behaved as narrated.
 */
public final class Demo {

    private static final String DEPLOY_PROFILE = "deploy-api";

    private final Path root;
    private final Narration narration;
    private final Clock clock = Clock.systemUTC();
    private final OkHttpClient http = HttpClients.create(HttpSettings.DEFAULT);

    private Demo(Path root, Narration narration) {
        this.root = root;
        this.narration = narration;
    }

    /**
     * Runs the demo and narrates it to {@code out}.
     *
     * @param colour ANSI colours (a terminal that wants them)
     * @param json   one JSON document at the end instead of the narration
     * @param keep   where to keep the demo's files (audit trails, configuration), or {@code null} for a temp dir
     *               removed at the end
     * @return 0 when every step behaved as narrated, 1 otherwise
     */
    public static int run(PrintStream out, boolean colour, boolean json, Path keep) throws Exception {
        Path root = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("ephemeral-credentials-demo");
        Narration narration = new Narration(out, colour, json);
        try {
            return new Demo(root, narration).run() ? 0 : 1;
        } finally {
            if (keep == null) {
                delete(root);
            }
        }
    }

    private boolean run() throws Exception {
        String secret = randomSecret();
        try (CiIssuers ci = CiIssuers.start(clock)) {
            int port = freePort();
            String serviceUrl = "http://127.0.0.1:" + port;
            try (RelyingParty deployApi = RelyingParty.start(serviceUrl, secret, http, clock)) {
                Map<String, String> places = Map.of("port", Integer.toString(port), "service", serviceUrl,
                        "github-actions", ci.githubIssuer(), "jenkins", ci.jenkinsIssuer(), DEPLOY_PROFILE,
                        deployApi.url());
                String servicePolicy = resource("service-policy.yaml", places);
                Files.writeString(root.resolve("policy.yaml"), servicePolicy);
                Path config = Files.writeString(root.resolve("service.yaml"), resource("service.yaml", places));
                Path serviceAudit = root.resolve("service-audit.jsonl");
                try (OutputStream auditOut = Files.newOutputStream(serviceAudit);
                     // A handful of exchanges: caps of 10,000 keep the replay table, allocated whole, under 1 MB.
                     TokenExchangeService service = TokenExchangeService.start(ServiceConfigReader.read(config),
                             new MemoryState(clock, 10_000), Map.of("DEPLOY_API_INTROSPECTION", secret)::get, auditOut,
                             clock)) {
                    narration.opening("Ephemeral Credentials demo, all on loopback: a GitHub Actions runner and a "
                            + "Jenkins controller sign CI tokens, the token-exchange service at " + serviceUrl
                            + " enforces its trust policy, and a deploy API at " + deployApi.url() + " trusts only "
                            + "what the service signs.");
                    Policy policy = PolicyLoader.parse(servicePolicy, "policy.yaml", Providers.descriptors());
                    RunnerStandIn runner = new RunnerStandIn(root.resolve("runner"), ci.runnerEnvironment());
                    ActionRuntime action = actionRuntime();
                    Map<String, String> inputs = Map.of("broker-url", serviceUrl, "profile", DEPLOY_PROFILE);

                    StepRun allowed = allowed(ci, runner, action, inputs, policy, serviceUrl, serviceAudit);
                    denied(ci, runner, action, inputs);
                    usedRevokedRefused(runner, action, inputs, allowed, deployApi);
                    replayed(ci, places);
                    inventory(ci, runner, action, inputs, policy, serviceAudit);
                }
            }
        }
        return narration.finish();
    }

    /** 1. The deploy workflow on main gets the deploy API's JWT through the action and the service. */
    private StepRun allowed(CiIssuers ci, RunnerStandIn runner, ActionRuntime action, Map<String, String> inputs,
                            Policy policy, String serviceUrl, Path serviceAudit) throws IOException {
        ci.workflowOn("refs/heads/main", "push");
        StepRun run = runner.main(inputs, action);
        RunnerLog.Rendered log = RunnerLog.render(run.stdout());
        List<Line> lines = new ArrayList<>();
        lines.add(new Line(Kind.SAY, "The deploy workflow of " + CiIssuers.REPOSITORY + " runs on refs/heads/main "
                + "(push) and the action asks the service for profile '" + DEPLOY_PROFILE + "' (broker-url)."));
        Map<String, Object> claims = new LinkedHashMap<>(ci.workflowClaims());
        claims.put("iss", ci.githubIssuer());
        claims.put("aud", serviceUrl);
        Decision decision = policy.evaluate(Claims.of(claims), DEPLOY_PROFILE);
        lines.add(new Line(Kind.SAY, "The claims that mattered, as the service's policy read them:"));
        decision.explain().lines().map(String::strip).filter(l -> l.startsWith("[ok]"))
                .forEach(l -> lines.add(new Line(Kind.PASS, "  " + l)));
        lines.add(new Line(Kind.SAY, "The step's log, as the runner shows it (every secret masked first):"));
        log.lines().forEach(l -> lines.add(new Line(Kind.LOG, l)));
        String jwt = run.env().get("EPHEMERAL_CREDENTIALS_JWT");
        lines.add(new Line(Kind.SAY, "Exported to the job's later steps:"));
        run.env().forEach((name, value) -> lines.add(new Line(Kind.VALUE, "  " + name + "="
                + (log.masks().contains(value) ? "***" : value))));
        String expiry = run.outputs().getOrDefault("expiration", "?");
        lines.add(new Line(Kind.VALUE, "  expires at " + expiry));
        String audit = lastLine(serviceAudit, "\"ISSUED\"");
        lines.add(new Line(Kind.SAY, "The service's audit line (no secret in it):"));
        lines.add(new Line(Kind.VALUE, "  " + audit));
        boolean ok = run.exit() == 0 && decision.allowed() && jwt != null && !jwt.isEmpty()
                && log.masks().contains(jwt) && !String.join("\n", log.lines()).contains(jwt)
                && !audit.isEmpty() && !audit.contains(jwt);
        narration.section(new Section("An allowed exchange", ok, lines));
        return run;
    }

    /** 2. The same workflow from a pull request's branch is denied, claim by claim. */
    private void denied(CiIssuers ci, RunnerStandIn runner, ActionRuntime action, Map<String, String> inputs)
            throws IOException {
        ci.workflowOn("refs/heads/feature/login", "pull_request");
        StepRun run = runner.main(inputs, action);
        RunnerLog.Rendered log = RunnerLog.render(run.stdout());
        List<Line> lines = new ArrayList<>();
        lines.add(new Line(Kind.SAY, "The same workflow, run for a pull request from refs/heads/feature/login, asks "
                + "for '" + DEPLOY_PROFILE + "'. The service refuses and says why, claim by claim:"));
        log.lines().forEach(l -> lines.add(new Line(l.contains("[FAIL]") ? Kind.FAIL : Kind.LOG, l)));
        lines.add(new Line(Kind.SAY, "Nothing was exported: the job's later steps get no credential."));
        boolean ok = run.exit() != 0 && run.env().isEmpty() && run.state().isEmpty()
                && log.lines().stream().anyMatch(l -> l.contains("[FAIL]") && l.contains("ref"));
        narration.section(new Section("A denied exchange", ok, lines));
    }

    /** 3. The JWT opens the deploy API; the post step revokes it; the deploy API then refuses it. */
    private void usedRevokedRefused(RunnerStandIn runner, ActionRuntime action, Map<String, String> inputs,
                                    StepRun allowed, RelyingParty deployApi) throws IOException {
        String jwt = allowed.env().getOrDefault("EPHEMERAL_CREDENTIALS_JWT", "");
        List<Line> lines = new ArrayList<>();
        Answer before = call(deployApi, jwt);
        lines.add(new Line(Kind.SAY, "A later step calls the deploy API with $EPHEMERAL_CREDENTIALS_JWT:"));
        lines.add(new Line(before.status() == 200 ? Kind.PASS : Kind.FAIL, "  " + before));
        StepRun post = runner.post(inputs, allowed, action);
        lines.add(new Line(Kind.SAY, "The job ends; the action's post step revokes what main issued:"));
        RunnerLog.Rendered log = RunnerLog.render(post.stdout());
        log.lines().forEach(l -> lines.add(new Line(Kind.LOG, l)));
        Answer after = call(deployApi, jwt);
        lines.add(new Line(Kind.SAY, "The same JWT, minutes before its exp, at the deploy API again:"));
        lines.add(new Line(after.status() == 401 ? Kind.PASS : Kind.FAIL, "  " + after));
        boolean ok = !jwt.isEmpty() && before.status() == 200 && post.exit() == 0 && after.status() == 401
                && after.body().contains("revoked") && post.env().getOrDefault("EPHEMERAL_CREDENTIALS_JWT", "x")
                .isEmpty();
        narration.section(new Section("The credential used, revoked, then refused", ok, lines));
    }

    /** 4. A Jenkins build's token, exchanged as the plugin's step does, is refused the second time. */
    private void replayed(CiIssuers ci, Map<String, String> places) throws IOException {
        Policy jenkins = PolicyLoader.parse(resource("jenkins-policy.yaml", places), "jenkins-policy.yaml",
                Providers.descriptors());
        Plan plan = Exchange.plan(CredentialRequest.forProfile("nightly-cache"), jenkins);
        BuildToken token = ci.jenkinsBuild(plan.audience());
        Map<String, CredentialProvider> providers = Providers.standard(http, Retries.DEFAULT, name -> null,
                CredentialsFileHost.privateIn(Files.createDirectories(root.resolve("jenkins-files"))), clock);
        Exchange exchange = new Exchange(providers, AuditRecord.DEFAULT_CLAIMS, clock);
        List<Line> lines = new ArrayList<>();
        lines.add(new Line(Kind.SAY, "Jenkins signs build platform/nightly-cache #118 a token (sub "
                + token.claims().subject() + ") and its withEphemeralCredentials step asks the service for "
                + "'build-cache':"));
        ExchangeOutcome first = exchange.run(plan, token.claims(), token::token);
        lines.add(new Line(first instanceof ExchangeOutcome.Issued ? Kind.PASS : Kind.FAIL, "  first use: "
                + describe(first)));
        lines.add(new Line(Kind.SAY, "Someone who copied that token from the build presents it again:"));
        ExchangeOutcome second = exchange.run(plan, token.claims(), token::token);
        lines.add(new Line(second instanceof ExchangeOutcome.Failed ? Kind.PASS : Kind.FAIL, "  second use: "
                + describe(second)));
        if (first instanceof ExchangeOutcome.Issued issued) {
            new CredentialLifecycle(providers, clock).cleanup(issued.cleanup());
        }
        boolean ok = first instanceof ExchangeOutcome.Issued && second instanceof ExchangeOutcome.Failed failed
                && failed.failure().getMessage().contains("already exchanged");
        narration.section(new Section("A replayed CI token", ok, lines));
    }

    /**
     * 5. A job on a self-hosted runner asks for the deploy API's profile: denied, and flagged, since the profile was
     * only ever issued to GitHub-hosted runners. Then the inventory of the service's audit trail.
     */
    private void inventory(CiIssuers ci, RunnerStandIn runner, ActionRuntime action, Map<String, String> inputs,
                           Policy policy, Path serviceAudit) throws IOException {
        List<Line> lines = new ArrayList<>();
        ci.workflowOn("refs/heads/main", "push", "self-hosted");
        StepRun run = runner.main(inputs, action);
        lines.add(new Line(Kind.SAY, "The deploy workflow runs on main again, but on a self-hosted runner, and asks for '"
                + DEPLOY_PROFILE + "': " + (run.exit() == 0 ? "issued" : "denied (runner_environment)") + "."));
        String flaggedLine = lastLine(serviceAudit, "\"anomalies\"");
        lines.add(new Line(Kind.SAY, "The service's audit line for it carries an anomaly flag:"));
        lines.add(new Line(Kind.VALUE, "  " + flaggedLine));
        Inventory inventory = Inventory.read(List.of(serviceAudit), InventoryOptions.defaults().withPolicy(policy));
        lines.add(new Line(Kind.SAY, "`ephemeral-credentials inventory --audit service-audit.jsonl --policy policy.yaml` "
                + "over what the demo just wrote:"));
        InventoryTable.render(inventory, false).lines().forEach(l -> lines.add(new Line(Kind.VALUE, "  " + l)));
        ProfileUsage deploy = inventory.profiles().stream().filter(p -> p.profile().equals(DEPLOY_PROFILE))
                .findFirst().orElse(null);
        boolean flagged = inventory.anomalies().stream().anyMatch(f -> DEPLOY_PROFILE.equals(f.profile())
                && f.signals().contains(Signal.NEW_RUNNER_ENVIRONMENT_FOR_PROFILE.name()));
        boolean ok = run.exit() != 0 && flaggedLine.contains(Signal.NEW_RUNNER_ENVIRONMENT_FOR_PROFILE.name())
                && deploy != null && deploy.issued() >= 1 && deploy.denied() >= 2 && flagged
                && inventory.problems().isEmpty();
        narration.section(new Section("The inventory, and an anomaly flagged", ok, lines));
    }

    private static String describe(ExchangeOutcome outcome) {
        if (outcome instanceof ExchangeOutcome.Issued issued) {
            return "issued, " + issued.credential().facts().getOrDefault("principal", "") + ", expires "
                    + issued.credential().expiresAt();
        }
        if (outcome instanceof ExchangeOutcome.Failed failed) {
            return "refused: " + failed.failure().getMessage().lines().findFirst().orElse("");
        }
        return "denied by the controller's own policy";
    }

    /** What the deploy API answered. */
    private record Answer(int status, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private Answer call(RelyingParty deployApi, String jwt) throws IOException {
        Request request = new Request.Builder().url(deployApi.url() + "/deploy")
                .header("Authorization", "Bearer " + jwt).build();
        try (Response response = http.newCall(request).execute()) {
            return new Answer(response.code(), response.body().string());
        }
    }

    private ActionRuntime actionRuntime() throws IOException {
        CredentialsFileHost files = CredentialsFileHost.privateIn(Files.createDirectories(root.resolve("action-files")));
        return new ActionRuntime(http, Retries.DEFAULT, Providers.standard(http, Retries.DEFAULT, name -> null, files,
                clock));
    }

    private static String lastLine(Path file, String containing) throws IOException {
        List<String> matching = Files.readAllLines(file).stream().filter(l -> l.contains(containing)).toList();
        return matching.isEmpty() ? "" : matching.get(matching.size() - 1);
    }

    /** A built-in file with its {@code ${name}} placeholders filled in. */
    private static String resource(String name, Map<String, String> places) throws IOException {
        try (InputStream in = Demo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the demo's " + name + " is missing from the jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> place : places.entrySet()) {
                text = text.replace("${" + place.getKey() + "}", place.getValue());
            }
            return text;
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The service's URL is its token audience and issuer, so it must be known before it listens. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Removes the demo's temp dir without following links. */
    private static void delete(Path root) {
        try {
            CredentialsFileHost.deleteTree(root);
        } catch (IOException e) {
            throw new UncheckedIOException("the demo's temp dir " + root + " could not be removed", e);
        }
    }
}
