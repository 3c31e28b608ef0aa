package io.github.ephemeralcredentials.core.provider.github;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.ephemeralcredentials.core.credential.CredentialValue;
import io.github.ephemeralcredentials.core.credential.EphemeralCredential;
import io.github.ephemeralcredentials.core.credential.Revocation;
import io.github.ephemeralcredentials.core.provider.CredentialProvider;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import io.github.ephemeralcredentials.core.provider.Retries;
import java.io.IOException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.kohsuke.github.GHApp;
import org.kohsuke.github.GHAppInstallation;
import org.kohsuke.github.GHAppInstallationToken;
import org.kohsuke.github.GHPermissionType;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.extras.okhttp3.OkHttpGitHubConnector;

/**
 * GitHub App installation tokens through hub4j {@code github-api}: an App JWT (RS256, signed with Nimbus from the
 * App's private key) finds the App's installation on the owner, then asks for a token restricted to the listed
 * repositories and permissions. The token is revoked at cleanup ({@code DELETE /installation/token} with itself).
 * The App's private key belongs to the token-exchange service or the Jenkins controller, never to a workflow.
 *
 * <p>Parameters: {@code app-id} (the App ID, or its client ID), {@code private-key-env} (the name under which the
 * host holds the PEM text of the App's key: a Jenkins credential bound to the profile, an environment variable of the
 * exchange service; never the key itself, which would put a long-lived secret into the policy file),
 * {@code owner} (organization or user the App is installed on), {@code api-url} (default
 * {@code https://api.github.com}; GitHub Enterprise Server: {@code https://HOST/api/v3}). Scope:
 * {@code repositories} (names under the owner; the installation is looked up through the first one, and without
 * any through the organization), {@code permissions} (e.g. {@code {contents: read}}). Installation tokens last one
 * hour whatever the requested lifetime; the cleanup revocation is what ends them sooner.
 */
public final class GitHubAppProvider implements CredentialProvider {

    public static final String ID = "github-app";
    public static final ProviderDescriptor DESCRIPTOR = GitHubAppDescriptor.DESCRIPTOR;
    static final String REVOCATION_KIND = "github-installation-token";
    static final String API_VERSION = "2022-11-28";

    private static final Pattern APP_ID = Pattern.compile("[0-9]{1,12}|Iv[0-9A-Za-z.]{8,40}");
    /** GitHub logins: letters, digits, single hyphens, at most 39 characters. */
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern PERMISSION = Pattern.compile("[a-z][a-z_]{1,63}");
    /** GitHub rejects App JWTs whose {@code exp} is more than ten minutes ahead. */
    static final Duration JWT_BACKDATE = Duration.ofSeconds(60);
    static final Duration JWT_LIFETIME = Duration.ofMinutes(9);
    /**
     * hub4j logs whole response bodies at FINEST, which for {@code access_tokens} is the installation token: a host
     * that turns on fine logging (a Jenkins log recorder at ALL) would write it out. Held here so the setting sticks.
     */
    private static final Logger HUB4J_CLIENT_LOG = Logger.getLogger("org.kohsuke.github.GitHubClient");

    private final OkHttpClient http;
    private final Retries retries;
    private final Clock clock;
    private final Function<String, String> secrets;

    /**
     * @param secrets reads the secret a profile names with {@code private-key-env}
     */
    public GitHubAppProvider(OkHttpClient http, Retries retries, Function<String, String> secrets, Clock clock) {
        this.http = http;
        this.retries = retries;
        this.secrets = secrets;
        this.clock = clock;
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
        if (request.parameters().containsKey("private-key")) {
            // Checked before anything else so the message never has to quote the parameter's value.
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "github-app: parameter 'private-key-env' would "
                    + "put the App's private key into the policy file; store the key as a secret of the host (a Jenkins "
                    + "credential bound to this profile, say) and name it with 'private-key-env'");
        }
        Parameters parameters = Parameters.of(ID, request.parameters()).onlyKnown(DESCRIPTOR.parameterNames());
        Parameters scope = Parameters.scope(ID, request.scope()).onlyKnown(DESCRIPTOR.scopeNames());
        String appId = parameters.required("app-id", "123456");
        if (!APP_ID.matcher(appId).matches()) {
            throw parameters.invalid("'app-id' '" + appId + "' is neither an App ID (digits) nor a client ID (Iv...); "
                    + "both are on the App's settings page");
        }
        String keyName = parameters.required("private-key-env", "GITHUB_APP_PRIVATE_KEY");
        String pem = secrets.apply(keyName);
        if (pem == null || pem.isBlank()) {
            throw parameters.invalid("'private-key-env' names '" + keyName + "', but the host has no secret by that "
                    + "name; bind the App's private key (PEM) to it");
        }
        RSAPrivateKey key = AppPrivateKey.parse(pem, parameters);
        String owner = parameters.required("owner", "acme");
        if (!OWNER.matcher(owner).matches()) {
            throw parameters.invalid("'owner' '" + owner + "' is not a GitHub organization or user name");
        }
        HttpUrl api = apiUrl(parameters);
        List<String> repositories = scope.list("repositories").stream().map(r -> repository(r, owner, scope)).toList();
        Map<String, GHPermissionType> permissions = permissions(scope);
        String where = repositories.isEmpty() ? owner : owner + "/" + repositories.get(0);

        GHAppInstallationToken token = retries.run(ID, () -> "", ignored -> {
            // A fresh App JWT per attempt: a retry may come minutes later.
            String jwt = appJwt(appId, key);
            GitHub asApp = connect(api, jwt);
            GHApp app;
            try {
                app = asApp.getApp();
            } catch (IOException e) {
                throw GitHubErrors.translate(e, GitHubErrors.Step.APP, api.toString(), "", jwt);
            }
            String install = " (https://github.com/apps/" + app.getSlug() + "/installations/new"
                    + (api.host().equals("api.github.com") ? "" : " on your GitHub Enterprise host") + ")";
            GHAppInstallation installation;
            try {
                installation = repositories.isEmpty() ? app.getInstallationByOrganization(owner)
                        : app.getInstallationByRepository(owner, repositories.get(0));
            } catch (IOException e) {
                throw GitHubErrors.translate(e, GitHubErrors.Step.INSTALLATION, where, install, jwt);
            }
            try {
                var builder = installation.createToken();
                if (!permissions.isEmpty()) {
                    builder.permissions(permissions);
                }
                if (!repositories.isEmpty()) {
                    builder.repositories(repositories);
                }
                return builder.create();
            } catch (IOException e) {
                throw GitHubErrors.translate(e, GitHubErrors.Step.TOKEN, where,
                        beyond(permissions, installation.getPermissions(), repositories, installation), jwt);
            }
        });

        String value = token.getToken();
        Instant expiresAt;
        try {
            expiresAt = token.getExpiresAt() == null ? null : token.getExpiresAt().toInstant();
        } catch (IOException e) {
            expiresAt = null;
        }
        if (value == null || value.isBlank() || expiresAt == null) {
            revokeQuietly(api, value);
            throw new ProviderException(ID, Reason.UNEXPECTED_RESPONSE, null, "github-app: " + api + " answered an "
                    + "installation token without token or expires_at; check 'api-url'");
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("principal", "github-app/" + appId + "/installation/" + owner);
        facts.put("owner", owner);
        facts.put("permissions", new TreeMap<>(token.getPermissions() == null ? Map.of() : token.getPermissions())
                .entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(",")));
        facts.put("scope", facts.get("permissions"));
        facts.put("repository-selection", token.getRepositorySelection() == null ? "unknown"
                : token.getRepositorySelection().name().toLowerCase(Locale.ROOT));
        if (token.getRepositories() != null && !token.getRepositories().isEmpty()) {
            facts.put("repositories", token.getRepositories().stream().map(GHRepository::getFullName)
                    .collect(Collectors.joining(",")));
        }
        facts.put("api-url", api.toString());
        facts.put("expiration", expiresAt.toString());
        List<CredentialValue> values = List.of(
                CredentialValue.secret("token", value, "GITHUB_TOKEN"),
                CredentialValue.secret("gh-token", value, "GH_TOKEN"));
        Revocation revocation = new Revocation(ID, REVOCATION_KIND, Map.of("api-url", api.toString(), "token", value));
        return new EphemeralCredential(ID, values, facts, expiresAt, List.of(revocation), List.of());
    }

    /** {@code DELETE /installation/token} authenticated by the token itself; 204, or 401 when already gone. */
    @Override
    public void revoke(Revocation revocation) {
        if (!ID.equals(revocation.provider()) || !REVOCATION_KIND.equals(revocation.kind())) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "github-app: cannot perform a "
                    + revocation.provider() + "/" + revocation.kind() + " revocation; it belongs to another provider");
        }
        HttpUrl api = revocation.parameters().get("api-url") == null ? null : HttpUrl.parse(revocation.parameters().get("api-url"));
        String token = revocation.parameters().get("token");
        if (api == null || token == null || token.isBlank()) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "github-app: the revocation lacks a "
                    + "valid api-url or token; it was not produced by this provider's exchange");
        }
        HttpUrl url = api.newBuilder().addPathSegments("installation/token").build();
        retries.run(ID, () -> "", ignored -> {
            Request delete = new Request.Builder().url(url).delete()
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/vnd.github+json")
                    .header("X-GitHub-Api-Version", API_VERSION).build();
            try (Response response = http.newCall(delete).execute()) {
                int status = response.code();
                if (status == 204 || status == 401) {
                    return null; // 401: the token is already revoked or expired; revoking twice is not an error
                }
                Reason reason = status == 429 || status >= 500 ? Reason.UNAVAILABLE : Reason.UNEXPECTED_RESPONSE;
                throw new ProviderException(ID, reason, String.valueOf(status), "github-app: DELETE " + url
                        + " answered HTTP " + status + "; the token stays valid until its expiry"
                        + (reason == Reason.UNAVAILABLE ? ", try again" : ""));
            } catch (IOException e) {
                throw new ProviderException(ID, Reason.UNAVAILABLE, null, "github-app: could not reach " + url + " ("
                        + e.getClass().getSimpleName() + ") to revoke the token; check the network and try again", e);
            }
        });
    }

    private void revokeQuietly(HttpUrl api, String token) {
        if (token != null && !token.isBlank()) {
            try {
                revoke(new Revocation(ID, REVOCATION_KIND, Map.of("api-url", api.toString(), "token", token)));
            } catch (ProviderException ignored) {
                // the exchange failure is what the user must see; the token ends within the hour
            }
        }
    }

    String appJwt(String appId, RSAPrivateKey key) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(appId)
                .issueTime(Date.from(now.minus(JWT_BACKDATE)))
                .expirationTime(Date.from(now.plus(JWT_LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new ProviderException(ID, Reason.INVALID_PARAMETERS, null, "github-app: the private key cannot "
                    + "sign an RS256 App JWT (" + e.getClass().getSimpleName() + "); give the App's .pem key");
        }
        return jwt.serialize();
    }

    private GitHub connect(HttpUrl api, String jwt) {
        // Checked at every exchange: an administrator may have lowered it since.
        Level level = HUB4J_CLIENT_LOG.getLevel();
        if (level == null || level.intValue() < Level.INFO.intValue()) {
            HUB4J_CLIENT_LOG.setLevel(Level.INFO);
        }
        try {
            return new GitHubBuilder().withEndpoint(api.toString().replaceAll("/$", ""))
                    .withJwtToken(jwt)
                    .withConnector(new OkHttpGitHubConnector(http))
                    .build();
        } catch (IOException e) {
            throw new ProviderException(ID, Reason.UNAVAILABLE, null, "github-app: could not set up the client for "
                    + api + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** What the request asks beyond the installation's own grant, for the 422 message. */
    private static String beyond(Map<String, GHPermissionType> requested, Map<String, GHPermissionType> installed,
                                 List<String> repositories, GHAppInstallation installation) {
        Map<String, String> granted = new TreeMap<>();
        if (installed != null) {
            installed.forEach((name, level) -> granted.put(name, level.name().toLowerCase(Locale.ROOT)));
        }
        Map<String, String> over = new TreeMap<>();
        requested.forEach((name, level) -> {
            String has = granted.get(name);
            String want = level.name().toLowerCase(Locale.ROOT);
            if (has == null || rank(has) < rank(want)) {
                over.put(name, want + " (installation has " + (has == null ? "none" : has) + ")");
            }
        });
        String grant = granted.toString();
        StringBuilder out = new StringBuilder();
        if (!over.isEmpty()) {
            out.append("the profile asks for ").append(over).append(" but the installation grants ").append(grant)
                    .append("; lower 'permissions' in the profile's scope, or have an owner grant the App more (App "
                            + "settings > Permissions, then accept the new permissions on the installation)");
        } else {
            out.append("permissions ").append(requested.keySet()).append(" are within the installation's ")
                    .append(grant);
            if (!repositories.isEmpty()) {
                out.append(", so a repository in ").append(repositories).append(" is probably not among the "
                        + "installation's selected repositories (selection: ").append(installation.getRepositorySelection())
                        .append("); add it to the installation or remove it from 'repositories'");
            }
        }
        return out.toString();
    }

    private static int rank(String level) {
        return switch (level) {
            case "read" -> 1;
            case "write" -> 2;
            case "admin" -> 3;
            default -> 0;
        };
    }

    private static String repository(String name, String owner, Parameters scope) {
        String repo = name;
        int slash = name.indexOf('/');
        if (slash >= 0) {
            if (!name.substring(0, slash).equalsIgnoreCase(owner)) {
                throw scope.invalid("repository '" + name + "' is not under owner '" + owner + "'; an installation "
                        + "token covers one owner's repositories");
            }
            repo = name.substring(slash + 1);
        }
        if (!REPOSITORY.matcher(repo).matches() || repo.equals(".") || repo.equals("..")) {
            throw scope.invalid("repository '" + name + "' is not a repository name (letters, digits, - _ .)");
        }
        return repo;
    }

    private static Map<String, GHPermissionType> permissions(Parameters scope) {
        Map<String, GHPermissionType> out = new LinkedHashMap<>();
        scope.map("permissions").forEach((name, level) -> {
            if (!PERMISSION.matcher(name).matches()) {
                throw scope.invalid("permission '" + name + "' is not a GitHub App permission name (e.g. contents, "
                        + "pull_requests, issues)");
            }
            GHPermissionType type = switch (level) {
                case "read" -> GHPermissionType.READ;
                case "write" -> GHPermissionType.WRITE;
                case "admin" -> GHPermissionType.ADMIN;
                default -> throw scope.invalid("permission " + name + ": '" + level + "' is not a level; use read, "
                        + "write or admin");
            };
            out.put(name, type);
        });
        return out;
    }

    private static HttpUrl apiUrl(Parameters parameters) {
        String example = "https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server";
        HttpUrl url = parameters.url("api-url", example).orElseGet(() -> HttpUrl.get("https://api.github.com"));
        String path = url.encodedPath().replaceAll("/+$", "");
        boolean local = url.host().equals("localhost") || url.host().startsWith("127.") || url.host().equals("::1");
        if (url.host().equals("github.com") || (path.isEmpty() && !url.host().startsWith("api.") && !local)) {
            throw parameters.invalid("'api-url' '" + url + "' is a web address, not the REST API; use "
                    + "https://api.github.com, or https://" + url.host() + "/api/v3 for GitHub Enterprise Server");
        }
        return url.newBuilder().encodedPath(path.isEmpty() ? "/" : path + "/").build();
    }
}
