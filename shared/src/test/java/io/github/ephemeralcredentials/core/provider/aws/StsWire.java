package io.github.ephemeralcredentials.core.provider.aws;

import java.time.Instant;
import mockwebserver3.MockResponse;

/**
 * STS answers as the AWS STS API reference documents them (query protocol, "AssumeRoleWithWebIdentity" and
 * "AssumeRole" — Examples; "Common Errors"; the error shapes of the STS API model {@code sts-2011-06-15} in Maven
 * Central's {@code com.amazonaws:aws-java-sdk-models}), and the namespace-less / S3-style variants Ceph RadosGW 16.2
 * sends (see shared/PEERS.md). Used where no real STS can run; the real one is the Ceph peer suite. Public for the
 * action's and the CLI's tests, which run the AWS provider end to end against a loopback STS.
 */
public final class StsWire {

    static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";

    private StsWire() {
    }

    public static String webIdentitySuccess(String accessKeyId, String secret, String sessionToken, Instant expiration) {
        return "<AssumeRoleWithWebIdentityResponse xmlns=\"" + NS + "\">\n"
                + "  <AssumeRoleWithWebIdentityResult>\n"
                + "    <SubjectFromWebIdentityToken>repo:acme/app:ref:refs/heads/main</SubjectFromWebIdentityToken>\n"
                + "    <Audience>sts.amazonaws.com</Audience>\n"
                + "    <AssumedRoleUser>\n"
                + "      <Arn>arn:aws:sts::123456789012:assumed-role/deploy/acme-app-42-1</Arn>\n"
                + "      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:acme-app-42-1</AssumedRoleId>\n"
                + "    </AssumedRoleUser>\n"
                + "    <Credentials>\n"
                + "      <SessionToken>" + sessionToken + "</SessionToken>\n"
                + "      <SecretAccessKey>" + secret + "</SecretAccessKey>\n"
                + "      <Expiration>" + expiration + "</Expiration>\n"
                + "      <AccessKeyId>" + accessKeyId + "</AccessKeyId>\n"
                + "    </Credentials>\n"
                + "    <SourceIdentity>acme</SourceIdentity>\n"
                + "    <Provider>arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com</Provider>\n"
                + "  </AssumeRoleWithWebIdentityResult>\n"
                + "  <ResponseMetadata>\n"
                + "    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>\n"
                + "  </ResponseMetadata>\n"
                + "</AssumeRoleWithWebIdentityResponse>\n";
    }

    /** Ceph RadosGW 16.2.15, as captured from a real gateway: no namespace, no ResponseMetadata, {@code AssumeRoleId}. */
    static String cephWebIdentitySuccess(String accessKeyId, String secret, String sessionToken, Instant expiration) {
        return "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>"
                + "<SubjectFromWebIdentityToken>repo:acme/app:ref:refs/heads/main</SubjectFromWebIdentityToken>"
                + "<Audience>sts-test</Audience><AssumedRoleUser><Arn>arn:aws:sts:::assumed-role/ci-role/s1</Arn>"
                + "<AssumeRoleId>0cef8d99-5081-487b-8f2b-fc4b45f12539:s1</AssumeRoleId></AssumedRoleUser>"
                + "<Credentials><AccessKeyId>" + accessKeyId + "</AccessKeyId><Expiration>" + expiration
                + "</Expiration><SecretAccessKey>" + secret + "</SecretAccessKey><SessionToken>" + sessionToken
                + "</SessionToken></Credentials><Provider>http://127.0.0.1:18099/realms/ci</Provider>"
                + "<PackedPolicySize>0</PackedPolicySize></AssumeRoleWithWebIdentityResult>"
                + "</AssumeRoleWithWebIdentityResponse>";
    }

    static String assumeRoleSuccess(String accessKeyId, String secret, String sessionToken, Instant expiration) {
        return "<AssumeRoleResponse xmlns=\"" + NS + "\">\n"
                + "<AssumeRoleResult>\n"
                + "  <SourceIdentity>acme</SourceIdentity>\n"
                + "  <AssumedRoleUser>\n"
                + "    <Arn>arn:aws:sts::210987654321:assumed-role/target/acme-app-42-1</Arn>\n"
                + "    <AssumedRoleId>ARO123EXAMPLE123:acme-app-42-1</AssumedRoleId>\n"
                + "  </AssumedRoleUser>\n"
                + "  <Credentials>\n"
                + "    <AccessKeyId>" + accessKeyId + "</AccessKeyId>\n"
                + "    <SecretAccessKey>" + secret + "</SecretAccessKey>\n"
                + "    <SessionToken>" + sessionToken + "</SessionToken>\n"
                + "    <Expiration>" + expiration + "</Expiration>\n"
                + "  </Credentials>\n"
                + "  <PackedPolicySize>6</PackedPolicySize>\n"
                + "</AssumeRoleResult>\n"
                + "<ResponseMetadata>\n"
                + "  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n"
                + "</ResponseMetadata>\n"
                + "</AssumeRoleResponse>\n";
    }

    static String stsError(String type, String code, String message) {
        return "<ErrorResponse xmlns=\"" + NS + "\">\n"
                + "  <Error>\n"
                + "    <Type>" + type + "</Type>\n"
                + "    <Code>" + code + "</Code>\n"
                + "    <Message>" + message + "</Message>\n"
                + "  </Error>\n"
                + "  <RequestId>8d5a3bbc-6b4f-4d1e-9b1c-EXAMPLE</RequestId>\n"
                + "</ErrorResponse>\n";
    }

    /** Ceph RadosGW's S3-style error body. */
    static String s3Error(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>tx0000086f5b2bd4e0a-0065-default</RequestId>"
                + "<HostId>1f4a-default-default</HostId></Error>";
    }

    public static MockResponse xml(int code, String body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "text/xml").body(body).build();
    }
}
