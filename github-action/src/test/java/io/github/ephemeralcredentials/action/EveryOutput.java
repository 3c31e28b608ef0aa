package io.github.ephemeralcredentials.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.provider.Retries;
import io.github.ephemeralcredentials.core.provider.gcp.FakeGoogle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;

/**
 * The outputs the main step writes, found by running it: every provider of {@link Providers#standard} (the ones a
 * profile can name and the action may run: not github-app, which issues on verified claims only) in each of its modes the action allows that adds outputs (files,
 * optional answers), with {@code output-credentials: true}, against loopback stand-ins answering in each service's documented
 * shape. Each mode is a profile of one policy, so profile-only parameters (endpoints, file modes) are reachable; and
 * through {@code broker-url}, the credentials of the token-exchange service's providers (github-app, jwt), which it
 * issues on the claims it verified, and a plain RFC 8693 answer.
 */
final class EveryOutput implements AutoCloseable {

    /** Outputs named by the configuration, not the code: a Vault secret's variable and a Vault login metadata key. */
    static final Set<String> CONFIGURED_NAMES = Set.of("DB_PASSWORD", "metadata.role");

    private static final String STS_XML = """
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <SubjectFromWebIdentityToken>repo:octo-org/octo-repo:ref:refs/heads/main</SubjectFromWebIdentityToken>
                <Audience>sts.amazonaws.com</Audience>
                <AssumedRoleUser>
                  <Arn>arn:aws:sts::123456789012:assumed-role/deploy/run</Arn>
                  <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:run</AssumedRoleId>
                </AssumedRoleUser>
                <Credentials>
                  <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
                  <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
                  <Expiration>%s</Expiration>
                  <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
                </Credentials>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata><RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId></ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>
            """;

    private final Path dir;
    private final RunnerEmulation runner;
    private final List<MockWebServer> servers = new ArrayList<>();
    private final Map<String, Map<String, Object>> profiles = new LinkedHashMap<>();
    /** Steps that ask the token-exchange service (broker-url), by name: their inputs. */
    private final Map<String, Map<String, String>> brokered = new LinkedHashMap<>();
    private ServiceStandIn service;
    private final Map<String, String> hostSecrets = new LinkedHashMap<>();

    EveryOutput(Path dir) throws IOException {
        this.dir = dir;
        this.runner = new RunnerEmulation(dir.resolve("runner"));
    }

    /** Each profile's outputs, by profile name. */
    Map<String, Set<String>> run() throws Exception {
        defineProfiles();
        Files.writeString(runner.workspace().resolve("policy.yaml"), policy());
        OkHttpClient http = HttpClients.create(HttpSettings.DEFAULT);
        Map<String, String> env = runner.environment(Map.of(), true);
        Map<String, CredentialProvider> providers = Providers.standard(http, Retries.immediate(1), hostSecrets::get,
                CredentialFiles.forContainerStep(env, RunnerEmulation.WORKSPACE_ON_RUNNER), Clock.systemUTC());
        ActionRuntime runtime = new ActionRuntime(http, Retries.immediate(1), providers);

        Map<String, Set<String>> outputs = new LinkedHashMap<>();
        for (String profile : profiles.keySet()) {
            runner.newStep();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            int exit = new MainStep(runner.environment(Map.of("policy", "policy.yaml", "profile", profile,
                    "output-credentials", "true"), true),
                    new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)), runtime).run();
            assertThat(exit).as("profile %s: %s", profile, stdout.toString(StandardCharsets.UTF_8)).isZero();
            outputs.put(profile, new TreeSet<>(RunnerFileCommands.read(runner.step().output()).keySet()));
        }
        for (Map.Entry<String, Map<String, String>> step : brokered.entrySet()) {
            runner.newStep();
            Map<String, String> inputs = new LinkedHashMap<>(step.getValue());
            inputs.put("output-credentials", "true");
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            int exit = new MainStep(runner.environment(inputs, true),
                    new WorkflowCommands(new PrintStream(stdout, true, StandardCharsets.UTF_8)), runtime).run();
            assertThat(exit).as("step %s: %s", step.getKey(), stdout.toString(StandardCharsets.UTF_8)).isZero();
            outputs.put(step.getKey(), new TreeSet<>(RunnerFileCommands.read(runner.step().output()).keySet()));
        }
        assertThat(service.github.violations).as("the service's GitHub calls follow GitHub's OpenAPI description")
                .isEmpty();
        return outputs;
    }

    private void defineProfiles() throws Exception {
        String sts = serve(request -> xml(STS_XML.formatted(Instant.now().plusSeconds(900))));
        profiles.put("aws-keys-and-file", profile("aws", Map.of("role-arn", "arn:aws:iam::123456789012:role/deploy",
                "region", "eu-west-1", "endpoint", sts, "credentials-file", true, "credentials-profile", "ci"), Map.of()));

        FakeGoogle google = new FakeGoogle();
        google.workloadIdentityUsers.put(FakeGoogle.SA, Set.of("principal://iam.googleapis.com/projects/123456789012/"
                + "locations/global/workloadIdentityPools/ci-pool/subject/" + runner.subject()));
        String googleBase = serve(google);
        profiles.put("gcp-file", profile("gcp", Map.of("workload-identity-provider", FakeGoogle.PROVIDER,
                "service-account", FakeGoogle.SA, "sts-endpoint", googleBase + "/v1/token",
                "iamcredentials-endpoint", googleBase, "credentials-file", true), Map.of()));

        String entra = serve(request -> json("{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                + "\"access_token\":\"eyJ0eXAi.entra.token\"}"));
        // The CI token files (AWS web-identity-token-file, Azure federated-token-file) the action refuses.
        profiles.put("azure", profile("azure", Map.of("tenant-id", "72f988bf-86f1-41af-91ab-2d7cd011db47",
                "client-id", "11111111-2222-3333-4444-555555555555", "authority-host", entra), Map.of()));

        String vault = serve(request -> request.getUrl().encodedPath().equals("/v1/auth/jwt/login")
                ? json("{\"auth\":{\"client_token\":\"hvs.CAESIJ-canary\",\"accessor\":\"acc-1\",\"policies\":"
                + "[\"default\",\"ci\"],\"token_policies\":[\"ci\"],\"metadata\":{\"role\":\"ci\"},"
                + "\"lease_duration\":900,\"renewable\":true}}")
                : json("{\"request_id\":\"r-1\",\"lease_id\":\"\",\"lease_duration\":0,\"renewable\":false,"
                + "\"data\":{\"data\":{\"password\":\"pw-canary\"},\"metadata\":{\"version\":1}}}"));
        profiles.put("vault-secrets", profile("vault", Map.of("address", vault, "role", "ci", "namespace", "team-a",
                "secrets", "secret/data/ci/db password | DB_PASSWORD"), Map.of()));

        String[] issuer = new String[1];
        issuer[0] = serve(request -> request.getUrl().encodedPath().endsWith("/openid-configuration")
                ? json("{\"issuer\":\"" + issuer[0] + "\",\"token_endpoint\":\"" + issuer[0] + "/token\"}")
                // No expires_in: the credential says how its expiry was found.
                : json("{\"access_token\":\"opaque-canary\",\"token_type\":\"Bearer\",\"issued_token_type\":"
                + "\"urn:ietf:params:oauth:token-type:access_token\",\"scope\":\"deploy\"}"));
        profiles.put("token-exchange", profile("token-exchange", Map.of("issuer", issuer[0], "client-id", "ci",
                "audience", "deploy-api"), Map.of("scopes", List.of("deploy"))));
        String bearer = serve(request -> json("{\"access_token\":\"opaque-canary\",\"token_type\":\"Bearer\","
                + "\"expires_in\":300}"));
        profiles.put("jwt-bearer", profile("jwt-bearer", Map.of("token-endpoint", bearer + "/token", "client-id", "ci"),
                Map.of()));

        // github-app is not a profile here: the action decides on claims it cannot verify, so the core refuses it
        // (MainStepTest). Through the token-exchange service, which verifies the token, it is issued; so is the
        // service's own JWT; and a plain RFC 8693 answer (no credential object) is one access token.
        service = ServiceStandIn.standard(runner.issuerUrl());
        brokered.put("broker-github-app", Map.of("broker-url", service.url(), "profile", "release"));
        brokered.put("broker-jwt", Map.of("broker-url", service.url(), "profile", "internal-jwt"));
        String plain = serve(request -> json("{\"access_token\":\"opaque-canary\",\"issued_token_type\":"
                + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"N_A\",\"expires_in\":900,"
                + "\"scope\":\"deploy\"}"));
        brokered.put("broker-plain", Map.of("broker-url", plain, "profile", "deploy"));
    }

    private static Map<String, Object> profile(String provider, Map<String, Object> parameters, Map<String, Object> scope) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("provider", provider);
        profile.put("maxLifetime", "15m");
        profile.put("parameters", parameters);
        if (!scope.isEmpty()) {
            profile.put("scope", scope);
        }
        return profile;
    }

    private String policy() {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", "this-repository");
        rule.put("issuer", runner.issuerUrl());
        rule.put("profiles", new ArrayList<>(profiles.keySet()));
        rule.put("claims", Map.of("repository", RunnerEmulation.REPOSITORY));
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("version", 1);
        policy.put("profiles", profiles);
        policy.put("rules", List.of(rule));
        return new Dump(DumpSettings.builder().build()).dumpToString(policy);
    }

    private String serve(Function<RecordedRequest, MockResponse> answer) throws IOException {
        return serve(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
    }

    private String serve(Dispatcher dispatcher) throws IOException {
        MockWebServer server = new MockWebServer();
        servers.add(server);
        server.setDispatcher(dispatcher);
        server.start(InetAddress.getLoopbackAddress(), 0);
        return "http://127.0.0.1:" + server.getPort();
    }

    private static MockResponse json(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build();
    }

    private static MockResponse xml(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/xml").body(body).build();
    }

    @Override
    public void close() {
        servers.forEach(MockWebServer::close);
        if (service != null) {
            service.close();
        }
        runner.close();
    }
}
