package io.github.ephemeralcredentials.action;

import io.github.ephemeralcredentials.core.oidc.KeyRing;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.oidc.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What a GitHub Actions runner gives a Docker container action, on loopback and in temp dirs.
 *
 * <ul>
 *   <li>The OIDC token endpoint as the runner exposes it (the URL already carries {@code ?api-version=2.0};
 *   {@code @actions/core} 3.x {@code lib/oidc-utils.js} appends {@code &audience=encodeURIComponent(aud)} and sends
 *   {@code Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN} with {@code Accept: application/json}; the answer
 *   is {@code {"value": "<jwt>"}}). It refuses a wrong bearer with 401, as the service does, and mints a
 *   GitHub-shaped token whose {@code aud} is the requested audience, or {@code https://github.com/OWNER} without
 *   one. Tests can inject 5xx answers and stalls.</li>
 *   <li>The container's mounts: {@code /github/file_commands} (the {@code set_env_}, {@code set_output_},
 *   {@code save_state_}, {@code step_summary_} files, created empty per step as the runner does),
 *   {@code /github/workspace}, {@code /github/home}, {@code /github/runner_temp} — each a temp dir — and the name
 *   the runner itself has for the workspace ({@link #workspaceOnRunner()}, action.yml's {@code github.workspace}
 *   argument), which exists only on the runner's side of the mount.</li>
 * </ul>
 *
 * <p>By default tokens are signed by a {@link TokenIssuer} served at {@link #issuerUrl()} (discovery and JWKS),
 * so a real peer can be pointed at it; {@link #mintWith} replaces the minting for peers that need another issuer.
 */
public final class RunnerEmulation implements AutoCloseable {

    public static final String OWNER = "octo-org";
    public static final String REPOSITORY = OWNER + "/octo-repo";
    public static final String TOKEN_PATH = "/_apis/distributedtask/hubs/Actions/plans/7f3e/jobs/2c1a/idtoken";
    /** {@code github.workspace} on a GitHub-hosted Linux runner, as the container's argument carries it. */
    public static final String WORKSPACE_ON_RUNNER = "/home/runner/work/octo-repo/octo-repo";

    private final MockWebServer server = new MockWebServer();
    private final String requestToken = "request-token-" + UUID.randomUUID();
    private final List<RecordedRequest> tokenRequests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger failureCode = new AtomicInteger(500);
    private final AtomicReference<Duration> stall = new AtomicReference<>();
    private final AtomicReference<Function<String, String>> minter = new AtomicReference<>();
    private final Map<String, Object> extraClaims = new LinkedHashMap<>();
    private final TokenIssuer issuer;
    private final Path root;
    private final Path workspace;
    private final Path home;
    private final Path runnerTemp;
    private final Path fileCommands;
    private StepFiles step;

    /** The four files of one step; the runner creates them empty before the step and reads them after. */
    public record StepFiles(Path env, Path output, Path state, Path summary) {
    }

    public RunnerEmulation(Path root) throws IOException {
        this.root = root;
        this.workspace = Files.createDirectories(root.resolve("github/workspace"));
        this.home = Files.createDirectories(root.resolve("github/home"));
        this.runnerTemp = Files.createDirectories(root.resolve("github/runner_temp"));
        this.fileCommands = Files.createDirectories(root.resolve("github/file_commands"));
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        String issuerUrl = server.url("/issuer").toString().replaceAll("/$", "");
        KeyRing keys = KeyRing.generate(SigningAlgorithm.RS256, Clock.systemUTC().instant());
        this.issuer = new TokenIssuer(issuerUrl, () -> keys, Clock.systemUTC());
        this.minter.set(this::mintDefault);
        this.extraClaims.putAll(defaultClaims());
        newStep();
    }

    private MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.equals("/issuer/.well-known/openid-configuration")) {
            return json(200, issuer.discoveryDocument());
        }
        if (path.equals("/issuer/jwks")) {
            return json(200, issuer.jwks());
        }
        if (!path.equals(TOKEN_PATH)) {
            return json(404, "{\"message\":\"not found\"}");
        }
        tokenRequests.add(request);
        Duration delay = stall.get();
        if (delay != null) {
            return new MockResponse.Builder().headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
                    .code(200).body("{}").build();
        }
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return json(failureCode.get(), "{\"message\":\"injected failure\"}");
        }
        if (!("Bearer " + requestToken).equals(request.getHeaders().get("Authorization"))) {
            return json(401, "{\"message\":\"Unauthorized\"}");
        }
        if (!"2.0".equals(request.getUrl().queryParameter("api-version"))) {
            return json(400, "{\"message\":\"api-version is required\"}");
        }
        String audience = request.getUrl().queryParameter("audience");
        return json(200, "{\"count\":1,\"value\":\"" + minter.get().apply(audience) + "\"}");
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json; charset=utf-8")
                .body(body).build();
    }

    private String mintDefault(String audience) {
        return issuer.mint(subject(), List.of(audience == null ? "https://github.com/" + OWNER : audience),
                Duration.ofMinutes(5), extraClaims);
    }

    /** The {@code sub} GitHub would issue for the current claims. */
    public String subject() {
        Object environment = extraClaims.get("environment");
        return environment != null ? "repo:" + REPOSITORY + ":environment:" + environment
                : "repo:" + REPOSITORY + ":ref:" + extraClaims.get("ref");
    }

    private static Map<String, Object> defaultClaims() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("ref", "refs/heads/main");
        claims.put("ref_type", "branch");
        claims.put("ref_protected", "true");
        claims.put("sha", "3f786850e387550fdab836ed7e6dc881de23001b");
        claims.put("repository", REPOSITORY);
        claims.put("repository_id", "892");
        claims.put("repository_owner", OWNER);
        claims.put("repository_owner_id", "74");
        claims.put("repository_visibility", "private");
        claims.put("actor", "octocat");
        claims.put("actor_id", "583231");
        claims.put("run_id", "1234567890");
        claims.put("run_number", "42");
        claims.put("run_attempt", "1");
        claims.put("event_name", "push");
        claims.put("workflow", "deploy");
        claims.put("workflow_ref", REPOSITORY + "/.github/workflows/deploy.yml@refs/heads/main");
        claims.put("workflow_sha", "3f786850e387550fdab836ed7e6dc881de23001b");
        claims.put("job_workflow_ref", REPOSITORY + "/.github/workflows/deploy.yml@refs/heads/main");
        claims.put("job_workflow_sha", "3f786850e387550fdab836ed7e6dc881de23001b");
        claims.put("runner_environment", "github-hosted");
        claims.put("check_run_id", "2236");
        return claims;
    }

    /** Sets or replaces a claim of the tokens minted from now on ({@code null} removes it). */
    public RunnerEmulation claim(String name, Object value) {
        if (value == null) {
            extraClaims.remove(name);
        } else {
            extraClaims.put(name, value);
        }
        return this;
    }

    /** The non-reserved claims of the tokens minted from now on (GitHub's job claims). */
    public Map<String, Object> claims() {
        return Map.copyOf(extraClaims);
    }

    public RunnerEmulation mintWith(Function<String, String> tokenForAudience) {
        minter.set(tokenForAudience);
        return this;
    }

    /** The next {@code count} token requests fail with {@code code}. */
    public void failNext(int count, int code) {
        failureCode.set(code);
        failuresLeft.set(count);
    }

    /** Token requests answer only after {@code delay} (null: no stall). */
    public void stall(Duration delay) {
        stall.set(delay);
    }

    /** New, empty file-command files, as the runner prepares before each step. */
    public StepFiles newStep() throws IOException {
        String suffix = UUID.randomUUID().toString();
        step = new StepFiles(
                Files.createFile(fileCommands.resolve("set_env_" + suffix)),
                Files.createFile(fileCommands.resolve("set_output_" + suffix)),
                Files.createFile(fileCommands.resolve("save_state_" + suffix)),
                Files.createFile(fileCommands.resolve("step_summary_" + suffix)));
        return step;
    }

    public StepFiles step() {
        return step;
    }

    /**
     * The environment the runner gives the container's main step: runner context, OIDC variables (unless
     * {@code idTokenPermission} is false), {@code INPUT_*} from {@code inputs}, and {@code extra} on top.
     */
    public Map<String, String> environment(Map<String, String> inputs, boolean idTokenPermission) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CI", "true");
        env.put("GITHUB_ACTIONS", "true");
        env.put("GITHUB_REPOSITORY", REPOSITORY);
        env.put("GITHUB_REPOSITORY_OWNER", OWNER);
        env.put("GITHUB_SERVER_URL", "https://github.com");
        env.put("GITHUB_RUN_ID", "1234567890");
        env.put("GITHUB_WORKSPACE", workspace.toString());
        env.put("HOME", home.toString());
        env.put("RUNNER_TEMP", runnerTemp.toString());
        env.put("RUNNER_OS", "Linux");
        env.put("GITHUB_ENV", step.env().toString());
        env.put("GITHUB_OUTPUT", step.output().toString());
        env.put("GITHUB_STATE", step.state().toString());
        env.put("GITHUB_STEP_SUMMARY", step.summary().toString());
        if (idTokenPermission) {
            env.put(IdTokenClient.URL_VARIABLE, tokenUrl());
            env.put(IdTokenClient.TOKEN_VARIABLE, requestToken);
        }
        // The runner sets INPUT_<name> for every input action.yml gives a default, whether the step names it or not,
        // with its expressions evaluated (action.yml's defaults use github.workspace only).
        ACTION_YML_DEFAULTS.forEach((name, value) -> env.put(ActionInputs.variable(name),
                value.replace("${{ github.workspace }}", workspace.toString())));
        inputs.forEach((name, value) -> env.put(ActionInputs.variable(name), value));
        return env;
    }

    /** The {@code default:} of each input of the repository's action.yml. */
    public static final Map<String, String> ACTION_YML_DEFAULTS = actionYmlDefaults();

    @SuppressWarnings("unchecked")
    private static Map<String, String> actionYmlDefaults() {
        // Tests run in their module's directory; the bench runs from the repository root.
        Path file = Files.isRegularFile(Path.of("action.yml")) ? Path.of("action.yml") : Path.of("..", "action.yml");
        try {
            Map<String, Object> action = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
            Map<String, String> defaults = new LinkedHashMap<>();
            ((Map<String, Map<String, Object>>) action.get("inputs")).forEach((name, input) -> {
                if (input != null && input.get("default") != null) {
                    defaults.put(name, String.valueOf(input.get("default")));
                }
            });
            return Collections.unmodifiableMap(defaults);
        } catch (IOException e) {
            throw new UncheckedIOException("the runner emulation reads the inputs' defaults from " + file, e);
        }
    }

    /** The post step's environment: the same, on fresh files, plus {@code STATE_<name>} from the main step's state. */
    public Map<String, String> postEnvironment(Map<String, String> inputs, Map<String, String> savedState)
            throws IOException {
        newStep();
        Map<String, String> env = environment(inputs, true);
        savedState.forEach((name, value) -> env.put("STATE_" + name, value));
        return env;
    }

    public String tokenUrl() {
        return server.url(TOKEN_PATH + "?api-version=2.0").toString();
    }

    public String requestToken() {
        return requestToken;
    }

    public String issuerUrl() {
        return issuer.issuer();
    }

    public TokenIssuer issuer() {
        return issuer;
    }

    public List<RecordedRequest> tokenRequests() {
        synchronized (tokenRequests) {
            return List.copyOf(tokenRequests);
        }
    }

    public Path workspace() {
        return workspace;
    }

    /** The workspace as the runner's own steps name it: the path a file exported to them must have. */
    public Path workspaceOnRunner() {
        return Path.of(WORKSPACE_ON_RUNNER);
    }

    public Path root() {
        return root;
    }

    @Override
    public void close() {
        server.close();
    }
}
