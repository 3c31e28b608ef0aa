package io.github.ephemeralcredentials.core.provider.aws;

import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.http.HttpClients;
import io.github.ephemeralcredentials.core.http.HttpSettings;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.CredentialsFileHost;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * AWS: trades the CI token for temporary credentials with STS {@code AssumeRoleWithWebIdentity}, optionally
 * chained into a second role with {@code AssumeRole}. Parameters and scope are described in
 * {@link AwsParameters}.
 *
 * <p>Exports {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} (both secret),
 * {@code AWS_REGION} and {@code AWS_DEFAULT_REGION} when a region is configured; facts {@code aws-account-id},
 * {@code authenticated-arn}, {@code principal} (the assumed role id CloudTrail records), {@code session-name} and
 * {@code expiration}. STS sessions cannot be revoked one by one, so the credential carries no revocation; files
 * written for it are listed for deletion at cleanup. Where files go, who owns them and the path they are exported
 * under is the host's {@link CredentialsFileHost}.
 */
public final class AwsProvider implements CredentialProvider {

    public static final String ID = "aws";
    public static final ProviderDescriptor DESCRIPTOR = AwsDescriptor.DESCRIPTOR;

    private final StsClient sts;
    private final Retries retries;
    private final CredentialsFileHost files;

    /** Default HTTP settings and retries; files go to {@link #defaultFileDirectory()}. */
    public AwsProvider() {
        this(HttpClients.create(HttpSettings.DEFAULT), Retries.DEFAULT, defaultFileDirectory());
    }

    /**
     * @param fileDir where a credentials or token file goes, private to this process's user, when the profile asks
     *                for one without a path; keep it outside the job's workspace so the file is never archived or
     *                cached with it
     */
    public AwsProvider(OkHttpClient http, Retries retries, Path fileDir) {
        this(http, retries, CredentialsFileHost.privateIn(Objects.requireNonNull(fileDir, "fileDir")));
    }

    /** @param files where a credentials or token file goes, who may read it, and the path the job knows it by */
    public AwsProvider(OkHttpClient http, Retries retries, CredentialsFileHost files) {
        this.sts = new StsClient(http);
        this.retries = Objects.requireNonNull(retries, "retries");
        this.files = Objects.requireNonNull(files, "files");
    }

    /** The JVM's temporary directory; a host with a better place (a CI system's job directory) passes its own. */
    public static Path defaultFileDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public EphemeralCredential exchange(ExchangeRequest request) {
        AwsParameters p = AwsParameters.from(request);
        if (p.webIdentityTokenFile() != null) {
            files.checkCiTokenFile(ID, "web-identity-token-file", "remove it from the profile: the exported keys, "
                    + "or a file written with 'credentials-file: true', stay valid for the whole session, with no "
                    + "token to go stale");
        }
        String sessionName = p.sessionName() != null ? p.sessionName() : SessionName.derive(request.claims(),
                p.sessionNamePrefix() != null ? p.sessionNamePrefix() : request.owner());
        boolean chained = p.chainRoleArn() != null;

        Map<String, String> first = new LinkedHashMap<>();
        first.put("RoleArn", p.roleArn());
        first.put("RoleSessionName", sessionName);
        // A first hop only has to live until the second call: the shortest session STS issues.
        first.put("DurationSeconds", Long.toString(chained ? AwsParameters.MIN_DURATION : p.durationSeconds()));
        if (!chained) {
            putScope(first, p);
        }
        String[] tokenUsed = new String[1];
        StsCredentials credentials = retries.run(ID, request.ciToken(), token -> {
            tokenUsed[0] = token;
            return sts.assumeRoleWithWebIdentity(p.endpoint(), first, token);
        });
        if (chained) {
            StsCredentials using = credentials;
            Map<String, String> second = new LinkedHashMap<>();
            second.put("RoleArn", p.chainRoleArn());
            second.put("RoleSessionName", sessionName);
            second.put("DurationSeconds", Long.toString(p.durationSeconds()));
            putScope(second, p);
            credentials = retries.run(ID, () -> tokenUsed[0],
                    token -> sts.assumeRole(p.endpoint(), p.signingRegion(), second, using));
        }
        return p.webIdentityTokenFile() != null
                ? tokenFileCredential(p, sessionName, tokenUsed[0], credentials, request)
                : keyCredential(p, sessionName, credentials, tokenUsed[0]);
    }

    private EphemeralCredential keyCredential(AwsParameters p, String sessionName, StsCredentials c, String token) {
        List<CredentialValue> values = new ArrayList<>();
        // Not secret by itself, but configure-aws-credentials masks it and outputs it only on request; so do we.
        values.add(CredentialValue.secret("aws-access-key-id", c.accessKeyId(), "AWS_ACCESS_KEY_ID"));
        values.add(CredentialValue.secret("aws-secret-access-key", c.secretAccessKey(), "AWS_SECRET_ACCESS_KEY"));
        values.add(CredentialValue.secret("aws-session-token", c.sessionToken(), "AWS_SESSION_TOKEN"));
        addRegion(values, p);
        List<Path> written = new ArrayList<>();
        if (p.credentialsFile() != null) {
            String ini = "[" + p.credentialsProfile() + "]\n"
                    + "aws_access_key_id = " + c.accessKeyId() + "\n"
                    + "aws_secret_access_key = " + c.secretAccessKey() + "\n"
                    + "aws_session_token = " + c.sessionToken() + "\n";
            Path file = writeFile(p.credentialsFile().path(), "aws-credentials-", ini, written,
                    Redactor.of(c.secretAccessKey(), c.sessionToken(), token));
            values.add(CredentialValue.plain("aws-shared-credentials-file", files.jobPath(file),
                    "AWS_SHARED_CREDENTIALS_FILE"));
            if (!p.credentialsProfile().equals("default")) {
                values.add(CredentialValue.plain("aws-profile", p.credentialsProfile(), "AWS_PROFILE"));
            }
        }
        return new EphemeralCredential(ID, values, facts(p, c, sessionName, c.expiration()), c.expiration(),
                List.of(), written);
    }

    /**
     * The SDKs assume the role themselves from the token file. The exchange above already proved the role accepts
     * this token (a misconfiguration fails here, with our message, not later inside a tool); its keys are dropped.
     */
    private EphemeralCredential tokenFileCredential(AwsParameters p, String sessionName, String token,
                                                    StsCredentials probe, ExchangeRequest request) {
        List<Path> written = new ArrayList<>();
        Path file = writeFile(p.webIdentityTokenFile().path(), "aws-web-identity-token-", token, written,
                Redactor.of(token));
        Instant expiresAt = request.claims().expiresAt().orElse(probe.expiration());
        List<CredentialValue> values = new ArrayList<>();
        values.add(CredentialValue.plain("aws-role-arn", p.roleArn(), "AWS_ROLE_ARN"));
        values.add(CredentialValue.plain("aws-web-identity-token-file", files.jobPath(file),
                "AWS_WEB_IDENTITY_TOKEN_FILE"));
        values.add(CredentialValue.plain("aws-role-session-name", sessionName, "AWS_ROLE_SESSION_NAME"));
        if (!p.endpoint().getHost().endsWith(".amazonaws.com") && !p.endpoint().getHost().endsWith(".amazonaws.com.cn")) {
            values.add(CredentialValue.plain("aws-endpoint-url-sts", p.endpoint().toString(), "AWS_ENDPOINT_URL_STS"));
        }
        addRegion(values, p);
        // Not exported: the token is in the file; listed so hosts mask it.
        values.add(CredentialValue.secret("web-identity-token", token, null));
        return new EphemeralCredential(ID, values, facts(p, probe, sessionName, expiresAt), expiresAt, List.of(),
                written);
    }

    private static void addRegion(List<CredentialValue> values, AwsParameters p) {
        if (p.region() != null) {
            values.add(CredentialValue.plain("aws-region", p.region(), "AWS_REGION"));
            values.add(CredentialValue.plain("aws-default-region", p.region(), "AWS_DEFAULT_REGION"));
        }
    }

    private static void putScope(Map<String, String> form, AwsParameters p) {
        if (p.sessionPolicy() != null) {
            form.put("Policy", p.sessionPolicy());
        }
        form.putAll(StsClient.policyArns(p.policyArns()));
    }

    private static Map<String, String> facts(AwsParameters p, StsCredentials c, String sessionName,
                                             Instant expiresAt) {
        Map<String, String> facts = new LinkedHashMap<>();
        List<String> narrowedBy = new ArrayList<>(p.policyArns());
        if (p.sessionPolicy() != null) {
            narrowedBy.add("an inline session policy");
        }
        facts.put("scope", narrowedBy.isEmpty() ? "the role's permissions"
                : "the role's permissions within " + String.join(", ", narrowedBy));
        String account = c.accountId();
        if (account != null) {
            facts.put("aws-account-id", account);
        }
        if (c.assumedRoleArn() != null) {
            facts.put("authenticated-arn", c.assumedRoleArn());
        }
        if (c.assumedRoleId() != null) {
            facts.put("principal", c.assumedRoleId());
        }
        facts.put("session-name", sessionName);
        facts.put("expiration", expiresAt.toString());
        return facts;
    }

    /**
     * @param target the path the profile names, replaced atomically, or {@code null} for a new file where the host
     *               puts files
     */
    private Path writeFile(Path target, String prefix, String content, List<Path> written, Redactor redactor) {
        Path dir = target == null ? files.directory() : target.toAbsolutePath().getParent();
        try {
            Path file;
            if (target == null) {
                Files.createDirectories(dir);
                file = files.create(dir, prefix, "", content, written);
            } else {
                files.createDirectories(dir);
                file = PrivateFiles.write(target, dir, prefix, content);
                written.add(file);
                files.handOver(file);
            }
            return file;
        } catch (IOException | RuntimeException e) {
            // No partial credential: whatever this exchange already wrote goes too.
            for (Path f : written) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // reported below through the main failure
                }
            }
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "could not write "
                    + (target == null ? "a file in " + dir : target) + ": " + redactor.describe(e)
                    + (files.forDirectoryOwner()
                    ? "; check that the workspace is writable and owned by the runner's user, or, where a container's"
                    + " root is remapped (user namespaces), drop 'credentials-file' and use the exported keys"
                    : "; choose a writable directory outside the workspace"));
        }
    }

    @Override
    public void revoke(Revocation revocation) {
        throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "AWS STS sessions cannot be revoked one "
                + "by one and this provider issues no revocation of kind '" + revocation.kind() + "'; to cut off "
                + "live sessions, use 'Revoke active sessions' on the role in IAM");
    }

    @Override
    public String toString() {
        return "AwsProvider";
    }
}
