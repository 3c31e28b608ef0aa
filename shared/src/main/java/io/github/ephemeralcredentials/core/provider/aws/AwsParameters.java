package io.github.ephemeralcredentials.core.provider.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.Parameters;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A profile's AWS parameters, validated before anything is sent.
 *
 * <p>Parameters ({@link ExchangeRequest#parameters()}):
 * <ul>
 *   <li>{@code role-arn} (required): {@code arn:aws:iam::123456789012:role/deploy}</li>
 *   <li>{@code region}: e.g. {@code eu-west-1}; selects the regional endpoint and is exported as
 *       {@code AWS_REGION}; without it the global endpoint {@code https://sts.amazonaws.com/} is used</li>
 *   <li>{@code endpoint}: a custom STS endpoint (VPC endpoint, FIPS, Ceph RadosGW); HTTPS, or HTTP on loopback</li>
 *   <li>{@code session-name-prefix}: put before the session name derived from the claims (e.g. the profile owner)</li>
 *   <li>{@code session-name}: the whole session name instead (configure-aws-credentials' {@code role-session-name});
 *       CloudTrail then no longer tells runs apart by it</li>
 *   <li>{@code chain-role-arn}: a second role assumed with the first role's credentials ({@code AssumeRole}, SigV4)</li>
 *   <li>{@code credentials-file}: {@code true} for a file where the host puts them (the CLI: {@code $TMPDIR}
 *       or the temporary directory; the GitHub Action: the workspace, for the job's later steps), or a path; mode
 *       0600, deleted at cleanup; {@code credentials-profile} names its section (default {@code default})</li>
 *   <li>{@code web-identity-token-file}: {@code true} or a path: write the CI token there and export
 *       {@code AWS_ROLE_ARN}/{@code AWS_WEB_IDENTITY_TOKEN_FILE} so the SDKs assume the role themselves, re-reading
 *       the file at each refresh (so it is of use only where something keeps it fresh, and a host where nothing
 *       does refuses it); cannot be combined with a scope or chaining, which the SDKs would not apply</li>
 * </ul>
 * Scope ({@link ExchangeRequest#scope()}): {@code session-policy} (a JSON policy, as text or as a map) and
 * {@code policy-arns} (managed policy ARNs), applied to the last role assumed.
 *
 * <p>Constraints follow the STS API model ({@code sts-2011-06-15}): {@code DurationSeconds} 900–43200,
 * {@code RoleSessionName} {@code [\w+=,.@-]{2,64}}, web identity {@code Policy} at most 2048 characters of
 * {@code [\u0009\u000A\u000D\u0020-\u00FF]}, ARNs 20–2048 characters; at most 10 managed policy ARNs (IAM quota).
 */
record AwsParameters(String roleArn, String region, URI endpoint, String sessionNamePrefix, String sessionName,
                     String chainRoleArn,
                     long durationSeconds, String sessionPolicy, List<String> policyArns,
                     FileRequest credentialsFile, String credentialsProfile, FileRequest webIdentityTokenFile) {

    static final long MIN_DURATION = AwsDescriptor.MIN_DURATION;
    static final long MAX_DURATION = AwsDescriptor.MAX_DURATION;
    static final long MAX_CHAINED_DURATION = AwsDescriptor.MAX_CHAINED_DURATION;
    static final int MAX_POLICY_ARNS = 10;
    static final int MAX_WEB_IDENTITY_POLICY = 2048;

    /** Jackson, loaded only for a session policy: the common exchange without one never needs it. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    private static final Pattern ROLE_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:iam::([0-9]{12}|(?![0-9]+:)[A-Za-z0-9_-]{0,64}):role/([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}");
    private static final Pattern POLICY_ARN = Pattern.compile(
            "arn:aws(-[a-z]+)*:iam::([0-9]{12}|(?![0-9]+:)[A-Za-z0-9_-]{0,64}):policy/([\\w+=,.@-]+/)*[\\w+=,.@-]{1,128}");
    static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]{1,2}");
    private static final Pattern POLICY_CHARS = Pattern.compile("[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+");
    private static final Pattern PROFILE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /** A file the profile asked for: at a given path, or in the default place (outside the workspace). */
    record FileRequest(Path path) {
        boolean defaultPlace() {
            return path == null;
        }
    }


    static AwsParameters from(ExchangeRequest request) {
        // A misspelt name must be an error, not a silently missing restriction.
        Parameters.of(AwsProvider.ID, request.parameters()).onlyKnown(AwsDescriptor.DESCRIPTOR.parameterNames());
        Parameters.scope(AwsProvider.ID, request.scope()).onlyKnown(AwsDescriptor.DESCRIPTOR.scopeNames());
        Map<String, Object> p = request.parameters();
        String roleArn = requiredString(p, "role-arn");
        checkArn("role-arn", roleArn, ROLE_ARN, "arn:aws:iam::123456789012:role/deploy");
        String region = optionalString(p, "region").orElse(null);
        if (region != null && !REGION.matcher(region).matches()) {
            throw invalid("region", "is '" + region + "'; expected an AWS region such as 'us-east-1' "
                    + "or 'eu-central-1'");
        }
        URI endpoint = optionalString(p, "endpoint").map(AwsParameters::endpoint)
                .orElseGet(() -> defaultEndpoint(region));
        String prefix = optionalString(p, "session-name-prefix").orElse(null);
        String sessionName = optionalString(p, "session-name").orElse(null);
        if (sessionName != null && !SESSION_NAME.matcher(sessionName).matches()) {
            throw invalid("session-name", "is '" + sessionName + "'; STS takes 2 to 64 of the characters "
                    + "A-Z a-z 0-9 _ + = , . @ -");
        }
        String chain = optionalString(p, "chain-role-arn").orElse(null);
        if (chain != null) {
            checkArn("chain-role-arn", chain, ROLE_ARN, "arn:aws:iam::123456789012:role/deploy");
        }
        long duration = duration(request.lifetime(), chain != null);

        Map<String, Object> scope = request.scope();
        String policy = sessionPolicy(scope.get("session-policy"));
        List<String> policyArns = policyArns(scope.get("policy-arns"));

        FileRequest credentialsFile = fileRequest(p, "credentials-file");
        String credentialsProfile = optionalString(p, "credentials-profile").orElse("default");
        if (!PROFILE_NAME.matcher(credentialsProfile).matches()) {
            throw invalid("credentials-profile", "must be 1-64 of [A-Za-z0-9_.-]");
        }
        FileRequest tokenFile = fileRequest(p, "web-identity-token-file");
        if (tokenFile != null && (policy != null || !policyArns.isEmpty() || chain != null)) {
            throw invalid("'web-identity-token-file' lets the AWS SDKs assume the role themselves, and they would "
                    + "ignore this profile's session policy, policy ARNs and role chaining; remove the scope and "
                    + "'chain-role-arn' or do not use 'web-identity-token-file'");
        }
        return new AwsParameters(roleArn, region, endpoint, prefix, sessionName, chain, duration, policy, policyArns,
                credentialsFile, credentialsProfile, tokenFile);
    }

    /** The region to sign {@code AssumeRole} for: the configured one, else the global endpoint's. */
    String signingRegion() {
        return region != null ? region : "us-east-1";
    }

    private static URI defaultEndpoint(String region) {
        if (region == null) {
            return URI.create("https://sts.amazonaws.com/");
        }
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return URI.create("https://sts." + region + "." + suffix + "/");
    }

    private static URI endpoint(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid("endpoint", "is not a URL: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalid("endpoint", "must be a plain URL such as 'https://sts.eu-west-1.amazonaws.com/'"
                    + " (host required; no user info, query or fragment)");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        boolean loopbackHttp = "http".equalsIgnoreCase(uri.getScheme()) && isLoopback(uri.getHost());
        if (!https && !loopbackHttp) {
            throw invalid("endpoint", "must use https (plain http is allowed only on loopback): the "
                    + "request carries the CI token");
        }
        return uri.getRawPath() == null || uri.getRawPath().isEmpty() ? uri.resolve("/") : uri;
    }

    private static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")) {
            return false; // never resolve a name just to validate it
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static long duration(Duration lifetime, boolean chained) {
        long seconds = lifetime.toSeconds();
        if (seconds < MIN_DURATION) {
            throw invalid("AWS STS issues credentials for at least " + MIN_DURATION + " s (15 min), but the "
                    + "profile's lifetime is " + seconds + " s; raise the profile's lifetime to 15m or more");
        }
        // Shorter than asked never exceeds what the policy allowed; STS refuses longer than these caps.
        return Math.min(seconds, chained ? MAX_CHAINED_DURATION : MAX_DURATION);
    }

    private static String sessionPolicy(Object value) {
        if (value == null) {
            return null;
        }
        String text;
        if (value instanceof Map<?, ?> map) {
            try {
                text = Json.MAPPER.writeValueAsString(map);
            } catch (JsonProcessingException e) {
                throw invalidScope("scope 'session-policy' cannot be written as JSON: " + e.getOriginalMessage());
            }
        } else if (value instanceof String s) {
            try {
                // Minified: AWS counts the characters sent, and whitespace counts.
                text = Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(s));
            } catch (JsonProcessingException e) {
                throw invalidScope("scope 'session-policy' is not valid JSON (line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
            }
            if (!text.startsWith("{")) {
                throw invalidScope("scope 'session-policy' must be a JSON object (an IAM policy document)");
            }
        } else {
            throw invalidScope("scope 'session-policy' must be an IAM policy document, as a map or as JSON text");
        }
        if (text.length() > MAX_WEB_IDENTITY_POLICY) {
            throw invalidScope("scope 'session-policy' is " + text.length() + " characters once minified; STS "
                    + "accepts at most " + MAX_WEB_IDENTITY_POLICY + ": move statements into a managed policy and "
                    + "list it in 'policy-arns'");
        }
        if (!POLICY_CHARS.matcher(text).matches()) {
            throw invalidScope("scope 'session-policy' contains characters outside U+0009, U+000A, U+000D and "
                    + "U+0020..U+00FF, which STS refuses");
        }
        return text;
    }

    private static List<String> policyArns(Object value) {
        if (value == null) {
            return List.of();
        }
        List<?> list = value instanceof List<?> l ? l : value instanceof String s ? List.of(s) : null;
        if (list == null) {
            throw invalidScope("scope 'policy-arns' must be a list of managed policy ARNs");
        }
        if (list.size() > MAX_POLICY_ARNS) {
            throw invalidScope("scope 'policy-arns' lists " + list.size() + " policies; STS accepts at most "
                    + MAX_POLICY_ARNS);
        }
        List<String> arns = new ArrayList<>();
        for (Object item : list) {
            String arn = String.valueOf(item);
            if (!POLICY_ARN.matcher(arn).matches() || arn.length() > 2048) {
                throw invalidScope("scope 'policy-arns' entry '" + arn + "' is not a managed policy ARN such as "
                        + "'arn:aws:iam::aws:policy/ReadOnlyAccess'");
            }
            arns.add(arn);
        }
        return List.copyOf(arns);
    }

    private static FileRequest fileRequest(Map<String, Object> p, String name) {
        Object value = p.get(name);
        if (value == null || Boolean.FALSE.equals(value) || "false".equals(value)) {
            return null;
        }
        if (Boolean.TRUE.equals(value) || "true".equals(value)) {
            return new FileRequest(null);
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                Path path = Path.of(s);
                if (!path.isAbsolute()) {
                    throw invalid(name, "must be 'true' or an absolute path, not '" + s + "'");
                }
                return new FileRequest(path);
            } catch (InvalidPathException e) {
                throw invalid(name, "is not a valid path: " + e.getReason());
            }
        }
        throw invalid(name, "must be 'true' or an absolute path");
    }

    private static void checkArn(String name, String value, Pattern pattern, String example) {
        if (value.length() < 20 || value.length() > 2048 || !pattern.matcher(value).matches()) {
            throw invalid(name, "is '" + value + "'; expected an IAM role ARN such as '"
                    + example + "'");
        }
    }

    private static String requiredString(Map<String, Object> p, String name) {
        return optionalString(p, name).orElseThrow(() -> invalid(name, "is required for the "
                + "aws provider (e.g. " + name + ": arn:aws:iam::123456789012:role/deploy)"));
    }

    private static Optional<String> optionalString(Map<String, Object> p, String name) {
        Object v = p.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String || v instanceof Number)) {
            throw invalid(name, "must be text");
        }
        String s = String.valueOf(v).strip();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    static ProviderException invalid(String message) {
        return new ProviderException(AwsProvider.ID, Reason.INVALID_PARAMETERS, null, message);
    }

    /** {@code aws: parameter 'name' problem}, with the parameter as data for hosts that name it their own way. */
    static ProviderException invalid(String name, String problem) {
        return ProviderException.invalidParameter(AwsProvider.ID, Reason.INVALID_PARAMETERS, name,
                "parameter '" + name + "'", problem);
    }

    private static ProviderException invalidScope(String message) {
        return new ProviderException(AwsProvider.ID, Reason.INVALID_SCOPE, null, message);
    }
}
