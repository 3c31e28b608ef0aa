package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.audit.AuditFile;
import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.exchange.CredentialRequest;
import io.github.ephemeralcredentials.core.exchange.Exchange;
import io.github.ephemeralcredentials.core.exchange.ExchangeException;
import io.github.ephemeralcredentials.core.exchange.ExchangeOutcome;
import io.github.ephemeralcredentials.core.exchange.Plan;
import io.github.ephemeralcredentials.core.exchange.Providers;
import io.github.ephemeralcredentials.core.oidc.CiClaims;
import io.github.ephemeralcredentials.core.oidc.JwksCache;
import io.github.ephemeralcredentials.core.oidc.KnownIssuers;
import io.github.ephemeralcredentials.core.oidc.OidcException;
import io.github.ephemeralcredentials.core.oidc.TokenVerifier;
import io.github.ephemeralcredentials.core.oidc.TrustedIssuers;
import io.github.ephemeralcredentials.core.oidc.UnverifiedClaims;
import io.github.ephemeralcredentials.core.policy.Policy;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code exchange}: the core's one exchange for any CI system (GitLab, Buildkite) or a laptop: the CI token comes
 * from a file, the credentials go to stdout. With {@code --policy}, or for a provider that never shows the CI token
 * to a verifier ({@code github-app}), the token is verified first — issuer on the trusted list, keys from its JWKS,
 * exact {@code iss}, {@code aud} and times — so no decision is made on claims anyone could have written.
 */
@Command(name = "exchange",
        description = {"Trade a CI job's OIDC token (from a file) for provider credentials and print them.",
                "Parameters use the provider's own names, as in a policy profile, e.g. "
                        + "-p role-arn=arn:aws:iam::123456789012:role/deploy -p region=eu-west-1."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  credentials printed", "  1  the token, the policy or the provider refused, or the provider failed",
                "  2  the command line is wrong", "  3  an input cannot be used (token file, policy file, parameter)"},
        mixinStandardHelpOptions = true)
final class ExchangeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--provider", paramLabel = "ID",
            description = "aws, gcp, azure, vault, github-app, token-exchange or jwt-bearer (or the profile's)")
    String provider;

    @Option(names = "--token-file", required = true, paramLabel = "FILE",
            description = "file holding the CI job's OIDC token (e.g. GitLab: a file written from an id_tokens variable); - for stdin")
    String tokenFile;

    @Option(names = {"-p", "--param"}, paramLabel = "NAME=VALUE",
            description = "a provider parameter or scope entry, named as in a policy profile (role-arn, region, scopes, ...)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--policy", paramLabel = "FILE", description = "trust policy that decides, on the verified token")
    Path policy;

    @Option(names = "--profile", paramLabel = "NAME", description = "the policy profile to ask for")
    String profile;

    @Option(names = "--audience", paramLabel = "AUD",
            description = "the token's expected aud; default: the provider's (sts.amazonaws.com for aws, ...)")
    String audience;

    @Option(names = "--lifetime", paramLabel = "SECONDS",
            description = "the lifetime to ask for; default: the profile's maximum, or 900 without a profile")
    Long lifetimeSeconds;

    @Option(names = "--issuer", paramLabel = "URL",
            description = "an issuer whose tokens are verified and accepted (repeatable); default: GitHub Actions "
                    + "(" + KnownIssuers.GITHUB_ACTIONS + ")")
    List<String> issuers = new ArrayList<>();

    @Option(names = "--github-enterprise", paramLabel = "HOST",
            description = "trust the GitHub Enterprise Server issuer https://HOST/_services/token (repeatable)")
    List<String> enterpriseHosts = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "env",
            converter = CredentialFormat.Converter.class,
            description = "env (export lines for eval), json, or credential-process (AWS CLI/SDK credential_process); default ${DEFAULT-VALUE}")
    CredentialFormat format;

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
            Plan plan = plan(err);
            if (format == CredentialFormat.CREDENTIAL_PROCESS && !plan.provider().equals("aws")) {
                throw CommandFailure.badInput("--format credential-process is for the aws provider only; use env or "
                        + "json for " + plan.provider());
            }
            if (stateFile != null && Files.exists(stateFile, LinkOption.NOFOLLOW_LINKS)) {
                throw CommandFailure.badInput("--state-file " + stateFile + " already exists: run "
                        + "`ephemeral-credentials revoke --state " + stateFile + "` first, or choose another path");
            }
            token = readToken();
            String ciToken = token;
            CiClaims claims = claims(plan, token);
            AuditFile audit = AuditFile.at(auditLog, warning -> err.println("warning: " + warning));
            ExchangeOutcome outcome = new Exchange(CoreRuntime.providers(System.getenv()), AuditRecord.DEFAULT_CLAIMS,
                    Clock.systemUTC()).run(plan, claims, () -> ciToken);
            audit.write(outcome.audit(), Redactor.of(token));
            if (outcome instanceof ExchangeOutcome.Denied denied) {
                err.print(denied.decision().explain());
                throw new CommandFailure(ExitCodes.NO, "the trust policy denied profile '" + plan.profile() + "': "
                        + denied.decision().summary() + " — the provider was not called");
            }
            if (outcome instanceof ExchangeOutcome.Failed failed) {
                return refused(failed.failure(), claims, token, err);
            }
            ExchangeOutcome.Issued issued = (ExchangeOutcome.Issued) outcome;
            if (stateFile != null) {
                RevocationState.write(stateFile, issued.cleanup());
            }
            out.print(format.render(issued.credential()));
            out.flush();
            return ExitCodes.OK;
        } catch (CommandFailure e) {
            err.println("error: " + (token == null ? Redactor.none() : Redactor.of(token)).redact(e.getMessage()));
            return e.exitCode();
        } catch (ExchangeException e) {
            err.println("error: " + (token == null ? Redactor.none() : Redactor.of(token)).redact(e.getMessage()));
            return e.reason() == ExchangeException.Reason.UNVERIFIED_CLAIMS ? ExitCodes.NO : ExitCodes.BAD_INPUT;
        }
    }

    /** The request from the options, resolved by the core before the token is read. */
    private Plan plan(PrintWriter err) {
        Policy loaded = null;
        if (policy != null) {
            loaded = PolicyFiles.load(policy, err).orElseThrow(() -> CommandFailure.badInput("the trust policy "
                    + policy + " cannot be used; fix the problems above"));
        }
        if (profile != null && loaded == null) {
            throw CommandFailure.badInput("--profile needs --policy: the trust policy file that defines profile '"
                    + profile + "'");
        }
        if (policy != null && profile == null) {
            throw CommandFailure.badInput("--policy needs --profile: the name of the profile of " + policy
                    + " to ask for");
        }
        Duration lifetime = lifetimeSeconds == null ? null : Duration.ofSeconds(lifetimeSeconds);
        CredentialRequest request;
        if (profile != null) {
            if (!params.isEmpty()) {
                throw CommandFailure.badInput("profile '" + profile + "' fixes the provider's parameters and scope; "
                        + "remove -p " + String.join(", -p ", params.keySet()) + " (or set them in the profile)");
            }
            request = CredentialRequest.forProfile(profile).withProvider(provider);
        } else {
            request = direct();
        }
        return Exchange.plan(request.withLifetime(lifetime).withAudience(audience), loaded);
    }

    /** {@code -p} names sorted into the provider's parameters and scope entries by its descriptor. */
    private CredentialRequest direct() {
        if (provider == null) {
            throw CommandFailure.badInput("name the provider with --provider (" + String.join(", ",
                    new TreeSet<>(Providers.descriptors().keySet())) + "), or ask for a --profile of a --policy");
        }
        ProviderDescriptor descriptor = Providers.descriptor(provider).orElseThrow(() -> CommandFailure.badInput(
                "--provider '" + provider + "' is not one of " + String.join(", ",
                        new TreeSet<>(Providers.descriptors().keySet()))));
        Map<String, Object> parameters = new LinkedHashMap<>();
        Map<String, Object> scope = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        params.forEach((name, value) -> {
            if (descriptor.parameterNames().contains(name)) {
                parameters.put(name, value);
            } else if (descriptor.scopeNames().contains(name)) {
                scope.put(name, value);
            } else {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            // A misspelt name would otherwise be dropped and the exchange run with a default in its place.
            Set<String> known = new TreeSet<>(descriptor.parameterNames());
            known.addAll(descriptor.scopeNames());
            throw CommandFailure.badInput("unknown -p name(s) " + String.join(", ", unknown) + " for provider '"
                    + provider + "'; it takes " + String.join(", ", known));
        }
        return CredentialRequest.direct(provider, parameters, scope);
    }

    /**
     * Verified claims where a decision or the provider depends on them; otherwise decoded, because the provider
     * verifies the token itself and the claims only name the session.
     */
    private CiClaims claims(Plan plan, String token) {
        try {
            if (plan.policy() == null && plan.descriptor().presentsCiToken()) {
                return UnverifiedClaims.decode(token);
            }
            if (plan.audience() == null) {
                throw CommandFailure.badInput("the token must be verified before " + (plan.policy() == null
                        ? "provider '" + plan.provider() + "' may issue" : "the policy decides") + ", and the "
                        + plan.provider() + " provider has no default audience; pass --audience with the aud your "
                        + "CI system put in the token");
            }
            return trustedIssuers().verify(token, plan.audience());
        } catch (OidcException e) {
            boolean unreadable = e.reason() == OidcException.Reason.MALFORMED
                    || e.reason() == OidcException.Reason.TOO_LARGE;
            throw new CommandFailure(unreadable ? ExitCodes.BAD_INPUT : ExitCodes.NO, "the CI token was refused ("
                    + e.reason() + "): " + e.getMessage() + " — nothing was asked of any provider");
        }
    }

    private TrustedIssuers trustedIssuers() {
        List<String> trusted = new ArrayList<>(issuers);
        enterpriseHosts.forEach(host -> {
            try {
                trusted.add(KnownIssuers.githubEnterpriseServer(host));
            } catch (IllegalArgumentException e) {
                throw CommandFailure.badInput("--github-enterprise: " + e.getMessage());
            }
        });
        if (trusted.isEmpty()) {
            trusted.add(KnownIssuers.GITHUB_ACTIONS);
        }
        try {
            return new TrustedIssuers(trusted, new JwksCache(CoreRuntime.http(), JwksCache.Settings.DEFAULT,
                    Clock.systemUTC()), Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw CommandFailure.badInput("--issuer: " + e.getMessage());
        }
    }

    private int refused(ProviderException e, CiClaims claims, String token, PrintWriter err) {
        Redactor redactor = Redactor.of(token);
        if (e.reason() == ProviderException.Reason.ACCESS_DENIED || e.reason() == ProviderException.Reason.INVALID_TOKEN) {
            err.println("The token's non-secret claims, as the provider saw them:");
            for (String name : List.of("iss", "sub", "aud", "repository", "ref", "environment", "job_workflow_ref",
                    "runner_environment", "project_path", "pipeline_source")) {
                claims.claims().string(name).ifPresent(v -> err.println("  " + name + ": " + v));
            }
        }
        err.println("error: " + redactor.redact(e.getMessage()));
        return e.reason() == ProviderException.Reason.INVALID_PARAMETERS ? ExitCodes.BAD_INPUT : ExitCodes.NO;
    }

    /** At most a little over the largest token any verifier accepts: a token file of /dev/zero must not fill memory. */
    private String readToken() {
        try (InputStream in = tokenFile.equals("-") ? System.in : Files.newInputStream(Path.of(tokenFile))) {
            byte[] bytes = in.readNBytes(TokenVerifier.MAX_TOKEN_CHARS + 2);
            if (bytes.length > TokenVerifier.MAX_TOKEN_CHARS + 1) {
                throw CommandFailure.badInput("the token file " + tokenFile + " holds more than "
                        + TokenVerifier.MAX_TOKEN_CHARS + " bytes; it should hold the CI job's OIDC token and nothing else");
            }
            String token = new String(bytes, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw CommandFailure.badInput("the token file " + tokenFile
                        + " is empty; write the CI job's OIDC token into it");
            }
            return token;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw CommandFailure.badInput("cannot read the token file " + tokenFile
                    + " (" + e.getClass().getSimpleName() + "); check the path");
        }
    }
}
