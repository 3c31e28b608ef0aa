package io.github.ephemeralcredentials.core.provider.aws;

import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.DOCUMENT;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.FLAG_OR_PATH;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.LINES;
import static io.github.ephemeralcredentials.core.provider.ParameterSpec.Type.STRING;

import io.github.ephemeralcredentials.core.provider.ParameterSpec;
import io.github.ephemeralcredentials.core.provider.ProviderDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AWS provider as data (see {@link AwsParameters} for what each parameter does). A class of its own so that
 * reading it loads none of the provider's code: the GitHub Action's container starts on every job.
 */
public final class AwsDescriptor {

    /** STS {@code DurationSeconds} (sts-2011-06-15): 900 to 43200 seconds. */
    static final long MIN_DURATION = 900;
    static final long MAX_DURATION = 43_200;
    /** AWS caps a chained role session at one hour whatever the role's maximum. */
    static final long MAX_CHAINED_DURATION = 3_600;

    /** The parameter naming the role a profile assumes first. */
    public static final String ROLE_ARN = "role-arn";
    static final String CHAIN_ROLE_ARN = "chain-role-arn";

    public static final ProviderDescriptor DESCRIPTOR = new ProviderDescriptor("aws",
            "AWS STS AssumeRoleWithWebIdentity, optionally chained into a second role",
            List.of(
                    ParameterSpec.required(ROLE_ARN, STRING, "the IAM role to assume, e.g. "
                            + "arn:aws:iam::123456789012:role/deploy").withActionInput("role-to-assume"),
                    ParameterSpec.optional("region", STRING, "the STS region (e.g. eu-west-1), exported as AWS_REGION; "
                            + "the global endpoint without it").withActionInput("aws-region")
                            .withFormat(AwsParameters.REGION, "an AWS region such as 'us-east-1'"),
                    ParameterSpec.optional("endpoint", STRING, "a custom STS endpoint (VPC endpoint, FIPS, Ceph "
                            + "RadosGW); https, or http on loopback").withActionInput("aws-sts-endpoint"),
                    ParameterSpec.optional("session-name-prefix", STRING, "put before the session name derived "
                            + "from the claims"),
                    ParameterSpec.optional("session-name", STRING, "the whole session name instead of one derived "
                            + "from the claims").withActionInput("role-session-name")
                            .withFormat(AwsParameters.SESSION_NAME, "2 to 64 of the characters STS takes in a "
                                    + "session name (letters, digits, _+=,.@-)"),
                    ParameterSpec.optional(CHAIN_ROLE_ARN, STRING, "a second role assumed with the first role's "
                            + "credentials (sessions of at most one hour)").withActionInput("role-chaining"),
                    ParameterSpec.optional("credentials-file", FLAG_OR_PATH, "true, or an absolute path: also write "
                            + "an AWS credentials file (mode 0600, deleted at cleanup)"),
                    ParameterSpec.optional("credentials-profile", STRING, "the credentials file's section")
                            .withDefault("default"),
                    ParameterSpec.optional("web-identity-token-file", FLAG_OR_PATH, "true, or an absolute path: "
                            + "write the CI token there for the AWS SDKs to assume the role themselves")),
            List.of(
                    ParameterSpec.optional("session-policy", DOCUMENT, "an IAM policy document narrowing the "
                            + "session, as a map or JSON text").withActionInput("inline-session-policy"),
                    ParameterSpec.optional("policy-arns", LINES, "managed policy ARNs narrowing the session (at "
                            + "most 10)").withActionInput("managed-session-policies")),
            Duration.ofSeconds(MIN_DURATION),
            parameters -> Duration.ofSeconds(chained(parameters) ? MAX_CHAINED_DURATION : MAX_DURATION),
            // The audience AWS's guide and configure-aws-credentials use for the OIDC identity provider.
            parameters -> Optional.of("sts.amazonaws.com"),
            true, "role-duration-seconds", Set.of("role-to-assume"), "web-identity-token-file")
            .exporting(Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_STS", "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE"));

    private AwsDescriptor() {
    }

    /**
     * The role a profile assumes first, as written (not checked): what {@code policy export} binds the trust policy
     * to, read here so that only this package spells the parameter's name.
     */
    public static Optional<String> roleArn(Map<String, Object> parameters) {
        return parameters.get(ROLE_ARN) instanceof String s && !s.isBlank() ? Optional.of(s.strip()) : Optional.empty();
    }

    /** Whether the profile chains into a second role, which STS caps at one hour. */
    static boolean chained(Map<String, Object> parameters) {
        Object chain = parameters.get(CHAIN_ROLE_ARN);
        return chain != null && !String.valueOf(chain).isBlank();
    }
}
