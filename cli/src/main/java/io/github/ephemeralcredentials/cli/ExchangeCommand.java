package io.github.ephemeralcredentials.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.ephemeralcredentials.action.ActionException;
import io.github.ephemeralcredentials.action.ActionInputs;
import io.github.ephemeralcredentials.action.ActionRuntime;
import io.github.ephemeralcredentials.action.AuditLog;
import io.github.ephemeralcredentials.action.ExchangePlan;
import io.github.ephemeralcredentials.action.CoreExchange;
import io.github.ephemeralcredentials.action.UnverifiedClaims;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code exchange}: the same exchange as the GitHub Action, for any CI (GitLab, Buildkite) or a laptop: the CI token
 * comes from a file, the credentials go to stdout.
 */
@Command(name = "exchange",
        description = {"Trade a CI job's OIDC token (from a file) for provider credentials and print them.",
                "Parameters use the GitHub Action's input names, e.g. -p role-to-assume=arn:aws:iam::123456789012:role/deploy."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  credentials printed", "  1  the policy or the provider refused, or the provider failed",
                "  2  the command line is wrong", "  3  an input cannot be used (token file, policy file, parameter)"},
        mixinStandardHelpOptions = true)
final class ExchangeCommand implements Callable<Integer> {

    enum Format { env, json, credential_process }

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Spec
    CommandSpec spec;

    @Option(names = "--provider", paramLabel = "ID",
            description = "aws, gcp, azure, vault, token-exchange or jwt-bearer (or implied by the parameters / profile)")
    String provider;

    @Option(names = "--token-file", required = true, paramLabel = "FILE",
            description = "file holding the CI job's OIDC token (e.g. GitLab: a file written from an id_tokens variable); - for stdin")
    String tokenFile;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
            description = "a provider input, named as in the GitHub Action (role-to-assume, aws-region, vault-url, ...)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--policy", paramLabel = "FILE", description = "trust policy to evaluate before the exchange")
    Path policy;

    @Option(names = "--profile", paramLabel = "NAME", description = "the policy profile to ask for")
    String profile;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "env",
            converter = FormatConverter.class,
            description = "env (export lines for eval), json, or credential-process (AWS CLI/SDK credential_process); default ${DEFAULT-VALUE}")
    Format format;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "append the exchange's audit record (one JSON line, no secret) to FILE")
    Path auditLog;

    @Option(names = "--state-file", paramLabel = "FILE",
            description = "write what `ephemeral-credentials revoke --state FILE` needs to revoke these credentials "
                    + "(revocations hold secrets: the file is created with mode 0600 and must not exist yet)")
    Path stateFile;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        String token = null;
        try {
            Set<String> known = CoreExchange.inputNames();
            List<String> unknown = params.keySet().stream().filter(n -> !known.contains(n)).toList();
            if (!unknown.isEmpty()) {
                // A misspelt name would otherwise be dropped and the exchange run with a default in its place.
                throw new ActionException(ActionException.Reason.INVALID_INPUT, "unknown -p name(s) "
                        + String.join(", ", unknown) + "; use the GitHub Action's input names: "
                        + String.join(", ", known));
            }
            Map<String, String> inputs = new LinkedHashMap<>();
            params.forEach((name, value) -> inputs.put(ActionInputs.variable(name), value));
            if (provider != null) {
                inputs.put(ActionInputs.variable("provider"), provider);
            }
            if (policy != null) {
                inputs.put(ActionInputs.variable("policy"), policy.toString());
            }
            if (profile != null) {
                inputs.put(ActionInputs.variable("profile"), profile);
            }
            CoreExchange exchange = CoreExchange.prepare(new ActionInputs(inputs), Path.of(""));
            ExchangePlan plan = exchange.plan();
            if (format == Format.credential_process && !plan.provider().equals("aws")) {
                throw new ActionException(ActionException.Reason.INVALID_INPUT, "--format credential-process is for "
                        + "the aws provider only; use env or json for " + plan.provider());
            }
            if (stateFile != null && Files.exists(stateFile, LinkOption.NOFOLLOW_LINKS)) {
                throw new ActionException(ActionException.Reason.INVALID_INPUT, "--state-file " + stateFile
                        + " already exists: run `ephemeral-credentials revoke --state " + stateFile
                        + "` first, or choose another path");
            }
            token = readToken();
            Claims claims = UnverifiedClaims.decode(token);
            ActionRuntime runtime = ActionCommand.runtime(System.getenv());
            String ciToken = token;
            AuditLog audit = AuditLog.to(auditLog, warning -> err.println("warning: " + warning));
            EphemeralCredential credential = exchange.run(claims, () -> ciToken, runtime, audit::write);
            if (stateFile != null) {
                RevocationState.write(stateFile, credential);
            }
            out.print(render(credential));
            out.flush();
            return ExitCodes.OK;
        } catch (ActionException e) {
            Redactor redactor = token == null ? Redactor.none() : Redactor.of(token);
            e.detail().ifPresent(d -> err.println(redactor.redact(d)));
            err.println("error: " + redactor.redact(e.getMessage()));
            return e.reason() == ActionException.Reason.POLICY_DENIED ? ExitCodes.NO : ExitCodes.BAD_INPUT;
        } catch (ProviderException e) {
            Redactor redactor = Redactor.of(token);
            if (e.reason() == ProviderException.Reason.ACCESS_DENIED || e.reason() == ProviderException.Reason.INVALID_TOKEN) {
                err.println("The token's non-secret claims, as the provider saw them:");
                Claims claims = UnverifiedClaims.decode(token);
                for (String name : List.of("iss", "sub", "aud", "repository", "ref", "environment", "job_workflow_ref",
                        "runner_environment", "project_path", "pipeline_source")) {
                    claims.string(name).ifPresent(v -> err.println("  " + name + ": " + v));
                }
            }
            err.println("error: " + redactor.redact(e.getMessage()));
            return e.reason() == ProviderException.Reason.INVALID_PARAMETERS ? ExitCodes.BAD_INPUT : ExitCodes.NO;
        }
    }

    private String readToken() {
        try {
            byte[] bytes = tokenFile.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(tokenFile));
            String token = new String(bytes, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new ActionException(ActionException.Reason.INVALID_INPUT, "the token file " + tokenFile
                        + " is empty; write the CI job's OIDC token into it");
            }
            return token;
        } catch (IOException e) {
            throw new ActionException(ActionException.Reason.INVALID_INPUT, "cannot read the token file " + tokenFile
                    + " (" + e.getClass().getSimpleName() + "); check the path");
        }
    }

    String render(EphemeralCredential credential) {
        return switch (format) {
            case env -> env(credential);
            case json -> json(credential);
            case credential_process -> credentialProcess(credential);
        };
    }

    private static String env(EphemeralCredential credential) {
        StringBuilder out = new StringBuilder();
        credential.environment().forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new IllegalStateException("provider produced an invalid variable name " + name);
            }
            out.append("export ").append(name).append("='").append(value.replace("'", "'\\''")).append("'\n");
        });
        return out.toString();
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static String json(EphemeralCredential credential) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("provider", credential.provider());
        doc.put("expiration", credential.expiresAt().toString());
        Map<String, String> values = new LinkedHashMap<>();
        credential.values().forEach(v -> values.put(v.name(), v.value()));
        doc.put("values", values);
        doc.put("env", credential.environment());
        doc.put("facts", credential.facts());
        return write(doc);
    }

    /** The AWS CLI/SDK {@code credential_process} document (Version 1). */
    private static String credentialProcess(EphemeralCredential credential) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", 1);
        doc.put("AccessKeyId", required(credential, "aws-access-key-id"));
        doc.put("SecretAccessKey", required(credential, "aws-secret-access-key"));
        doc.put("SessionToken", required(credential, "aws-session-token"));
        doc.put("Expiration", credential.expiresAt().toString());
        return write(doc);
    }

    private static String required(EphemeralCredential credential, String name) {
        return credential.value(name).map(CredentialValue::value).orElseThrow(() -> new ActionException(
                ActionException.Reason.INVALID_INPUT, "the aws credential has no " + name + " (a web-identity-file "
                + "profile hands out no keys); use --format env or json"));
    }

    private static String write(Object doc) {
        try {
            return JSON.writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            try {
                return Format.valueOf(value.replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value
                        + "' is not a format; use env, json or credential-process");
            }
        }
    }
}
