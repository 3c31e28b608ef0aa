package io.github.ephemeralcredentials.core.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.oidc.Claims;
import io.github.ephemeralcredentials.core.provider.ExchangeRequest;
import io.github.ephemeralcredentials.core.provider.ProviderException;
import io.github.ephemeralcredentials.core.provider.ProviderException.Reason;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsParametersTest {

    private static AwsParameters parse(Map<String, Object> parameters, Map<String, Object> scope, Duration lifetime) {
        return AwsParameters.from(new ExchangeRequest(() -> "t", Claims.of(Map.of()), parameters, scope, lifetime));
    }

    private static Map<String, Object> with(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role-arn", "arn:aws:iam::123456789012:role/deploy");
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void refused(Map<String, Object> parameters, Map<String, Object> scope, Duration lifetime,
                                Reason reason, String message) {
        assertThatThrownBy(() -> parse(parameters, scope, lifetime))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }

    @Test
    void picksTheRegionalEndpoint() {
        assertThat(parse(with(), Map.of(), Duration.ofHours(1)).endpoint()).isEqualTo(URI.create("https://sts.amazonaws.com/"));
        assertThat(parse(with("region", "eu-central-1"), Map.of(), Duration.ofHours(1)).endpoint())
                .isEqualTo(URI.create("https://sts.eu-central-1.amazonaws.com/"));
        assertThat(parse(with("region", "cn-north-1"), Map.of(), Duration.ofHours(1)).endpoint())
                .isEqualTo(URI.create("https://sts.cn-north-1.amazonaws.com.cn/"));
        assertThat(parse(with("endpoint", "https://vpce-1.sts.eu-west-1.vpce.amazonaws.com"), Map.of(),
                Duration.ofHours(1)).endpoint()).isEqualTo(URI.create("https://vpce-1.sts.eu-west-1.vpce.amazonaws.com/"));
        assertThat(parse(with("region", "us-gov-west-1"), Map.of(), Duration.ofHours(1)).signingRegion()).isEqualTo("us-gov-west-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::123456789012:role/a/b/deploy", "arn:aws-cn:iam::123456789012:role/x",
            "arn:aws-us-gov:iam::123456789012:role/x+=,.@-_", "arn:aws:iam:::role/ci-role"})
    void acceptsRoleArns(String arn) {
        assertThat(parse(with("role-arn", arn), Map.of(), Duration.ofHours(1)).roleArn()).isEqualTo(arn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy", "arn:aws:iam::123:role/deploy", "arn:aws:s3:::bucket/key-is-long-enough",
            "arn:aws:iam::123456789012:user/bob", "arn:aws:iam::123456789012:role/bad name"})
    void refusesWhatIsNotARoleArn(String arn) {
        refused(with("role-arn", arn), Map.of(), Duration.ofHours(1), Reason.INVALID_PARAMETERS, "expected an IAM role ARN");
    }

    @Test
    void refusesBadParametersWithWhatToDo() {
        refused(new LinkedHashMap<>(), Map.of(), Duration.ofHours(1), Reason.INVALID_PARAMETERS, "'role-arn' is required");
        refused(with("region", "Europe"), Map.of(), Duration.ofHours(1), Reason.INVALID_PARAMETERS, "such as 'us-east-1'");
        refused(with("endpoint", "http://sts.example.com/"), Map.of(), Duration.ofHours(1), Reason.INVALID_PARAMETERS,
                "must use https");
        refused(with("endpoint", "https://user:pw@sts.example.com/"), Map.of(), Duration.ofHours(1),
                Reason.INVALID_PARAMETERS, "no user info");
        refused(with(), Map.of(), Duration.ofMinutes(10), Reason.INVALID_PARAMETERS, "at least 900 s");
        refused(with("credentials-file", "relative/path"), Map.of(), Duration.ofHours(1), Reason.INVALID_PARAMETERS,
                "absolute path");
        refused(with("credentials-profile", "a b"), Map.of(), Duration.ofHours(1), Reason.INVALID_PARAMETERS,
                "credentials-profile");
        refused(with("web-identity-token-file", true), Map.of("policy-arns", List.of("arn:aws:iam::aws:policy/ReadOnlyAccess")),
                Duration.ofHours(1), Reason.INVALID_PARAMETERS, "would ignore");
        assertThat(parse(with("endpoint", "http://127.0.0.1:8080"), Map.of(), Duration.ofHours(1)).endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:8080/"));
    }

    @Test
    void refusesScopesStsWouldRefuse() {
        refused(with(), Map.of("session-policy", "{not json"), Duration.ofHours(1), Reason.INVALID_SCOPE, "not valid JSON");
        refused(with(), Map.of("session-policy", "[1]"), Duration.ofHours(1), Reason.INVALID_SCOPE, "JSON object");
        refused(with(), Map.of("session-policy", Map.of("Sid", "x".repeat(2100))), Duration.ofHours(1),
                Reason.INVALID_SCOPE, "at most 2048");
        refused(with(), Map.of("session-policy", Map.of("Sid", "\u20ac")), Duration.ofHours(1), Reason.INVALID_SCOPE,
                "characters outside");
        refused(with(), Map.of("policy-arns", Collections.nCopies(11, "arn:aws:iam::aws:policy/ReadOnlyAccess")),
                Duration.ofHours(1), Reason.INVALID_SCOPE, "at most 10");
        refused(with(), Map.of("policy-arns", List.of("ReadOnlyAccess")), Duration.ofHours(1), Reason.INVALID_SCOPE,
                "not a managed policy ARN");
    }

    @Test
    void minifiesSessionPoliciesGivenAsMapsOrText() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", "2012-10-17");
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("Effect", "Deny");
        statement.put("Action", "*");
        doc.put("Statement", List.of(statement));
        assertThat(parse(with(), Map.of("session-policy", doc), Duration.ofHours(1)).sessionPolicy())
                .isEqualTo("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\"}]}");
        assertThat(parse(with(), Map.of("session-policy", "{ \"Version\" : \"2012-10-17\" }"), Duration.ofHours(1))
                .sessionPolicy()).isEqualTo("{\"Version\":\"2012-10-17\"}");
    }

    @Test
    void misspeltParametersAndScopeEntriesAreRefusedNotIgnored() {
        assertThatThrownBy(() -> AwsParameters.from(new ExchangeRequest(() -> "t", Claims.of(Map.of()),
                Map.of("role-arn", "arn:aws:iam::123456789012:role/deploy", "regoin", "eu-west-1"), Map.of(),
                Duration.ofMinutes(15))))
                .isInstanceOf(ProviderException.class).hasMessageContaining("[regoin]").hasMessageContaining("region");
        assertThatThrownBy(() -> AwsParameters.from(new ExchangeRequest(() -> "t", Claims.of(Map.of()),
                Map.of("role-arn", "arn:aws:iam::123456789012:role/deploy"), Map.of("sessionPolicy", "{}"),
                Duration.ofMinutes(15))))
                .isInstanceOf(ProviderException.class).hasMessageContaining("[sessionPolicy]").hasMessageContaining("session-policy");
    }
}
