package io.github.ephemeralcredentials.core.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the STS XML reader with what a lying or broken STS (or a proxy in front of it) may answer: every body is
 * credentials, an error, or a {@link StsXml.MalformedException} whose message quotes none of the body's values;
 * nothing else may escape (no parser exception, no entity expansion, no stack overflow). Half the inputs are a real
 * response's skeleton with fuzzed values, so the reader's checks past parsing are reached too.
 */
class StsXmlFuzzTest {

    private static final String ACTION = "AssumeRoleWithWebIdentity";
    private static final String SECRET = "SECRETCANARY0123456789";

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"<AssumeRoleWithWebIdentityResponse>", "</AssumeRoleWithWebIdentityResponse>",
            "<AssumeRoleWithWebIdentityResult>", "<Credentials>", "<AccessKeyId>", "<SecretAccessKey>",
            "<SessionToken>", "<Expiration>", "<AssumedRoleUser>", "<Arn>", "<AssumedRoleId>", "<ErrorResponse>",
            "<Error>", "<Code>", "<Message>", "<RequestId>", "xmlns=\\\"https://sts.amazonaws.com/doc/2011-06-15/\\\"",
            "<!DOCTYPE", "<!ENTITY", "&amp;", "<![CDATA[", "]]>", "<?xml version=\\\"1.0\\\"?>", "2026-12-01T00:00:00Z"})
    void stsXml(FuzzedDataProvider data) {
        boolean shaped = data.consumeBoolean();
        String body = shaped ? skeleton(data) : data.consumeRemainingAsString();
        try {
            StsCredentials credentials = StsXml.credentials(body, ACTION);
            assertThat(credentials.accessKeyId()).isNotBlank();
            assertThat(credentials.secretAccessKey()).isNotBlank();
            assertThat(credentials.sessionToken()).isNotBlank();
            assertThat(credentials.expiration()).isNotNull();
            assertThat(credentials.toString()).contains("secretAccessKey=****, sessionToken=****");
        } catch (StsXml.MalformedException e) {
            assertThat(e.getMessage()).isNotBlank();
            if (shaped) {
                // The skeleton's secrets sit in the two secret elements only: a message quoting one quotes the body.
                assertThat(e.getMessage()).doesNotContain(SECRET);
            }
        }
        StsXml.error(body).ifPresent(error -> assertThat(error.code()).isNotBlank());
    }

    /** A response in STS's shape whose values (and some structure) come from the fuzzer. */
    private static String skeleton(FuzzedDataProvider data) {
        String ns = data.consumeBoolean() ? " xmlns=\"" + StsXml.NAMESPACE + "\"" : "";
        return "<" + ACTION + "Response" + ns + "><" + ACTION + "Result><Credentials>"
                + "<AccessKeyId>" + data.consumeString(40) + "</AccessKeyId>"
                + "<SecretAccessKey>" + SECRET + data.consumeString(40) + "</SecretAccessKey>"
                + "<SessionToken>" + SECRET + data.consumeString(200) + "</SessionToken>"
                + "<Expiration>" + data.consumeString(40) + "</Expiration></Credentials>"
                + "<AssumedRoleUser><Arn>" + data.consumeString(40) + "</Arn><AssumedRoleId>" + data.consumeString(40)
                + "</AssumedRoleId></AssumedRoleUser>" + data.consumeRemainingAsString()
                + "</" + ACTION + "Result></" + ACTION + "Response>";
    }
}
