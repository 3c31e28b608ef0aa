package io.github.ephemeralcredentials.core.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StsXmlTest {

    private static final Instant EXP = Instant.parse("2026-11-23T12:15:00Z");

    @Test
    void readsTheNamespacedAwsAnswer() throws Exception {
        StsCredentials c = StsXml.credentials(StsWire.webIdentitySuccess("ASIAEXAMPLE", "sec", "tok", EXP),
                "AssumeRoleWithWebIdentity");
        assertThat(c.accessKeyId()).isEqualTo("ASIAEXAMPLE");
        assertThat(c.secretAccessKey()).isEqualTo("sec");
        assertThat(c.sessionToken()).isEqualTo("tok");
        assertThat(c.expiration()).isEqualTo(EXP);
        assertThat(c.assumedRoleArn()).isEqualTo("arn:aws:sts::123456789012:assumed-role/deploy/acme-app-42-1");
        assertThat(c.assumedRoleId()).isEqualTo("AROACLKWSDQRAOEXAMPLE:acme-app-42-1");
        assertThat(c.accountId()).isEqualTo("123456789012");
        assertThat(c.requestId()).isEqualTo("ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE");
        assertThat(c.toString()).doesNotContain("sec,").doesNotContain("tok");
    }

    @Test
    void readsCephsNamespaceLessAnswer() throws Exception {
        StsCredentials c = StsXml.credentials(StsWire.cephWebIdentitySuccess("AK", "sec", "tok",
                Instant.parse("2026-11-23T14:02:02.900493338Z")), "AssumeRoleWithWebIdentity");
        assertThat(c.accessKeyId()).isEqualTo("AK");
        assertThat(c.expiration()).isEqualTo(Instant.parse("2026-11-23T14:02:02.900493338Z"));
        assertThat(c.accountId()).isNull();
        assertThat(c.assumedRoleId()).isEqualTo("0cef8d99-5081-487b-8f2b-fc4b45f12539:s1");
        assertThat(c.requestId()).isNull();
    }

    @Test
    void acceptsFractionalSecondsAndOffsetsInExpiration() throws Exception {
        String body = StsWire.webIdentitySuccess("A", "s", "t", EXP).replace(EXP.toString(), "2026-11-23T13:15:00.123+01:00");
        assertThat(StsXml.credentials(body, "AssumeRoleWithWebIdentity").expiration())
                .isEqualTo(Instant.parse("2026-11-23T12:15:00.123Z"));
    }

    @Test
    void refusesAnotherActionsAnswerOrAnotherNamespace() {
        assertThatThrownBy(() -> StsXml.credentials(StsWire.assumeRoleSuccess("A", "s", "t", EXP),
                "AssumeRoleWithWebIdentity")).hasMessageContaining("expected <AssumeRoleWithWebIdentityResponse>");
        String foreign = StsWire.webIdentitySuccess("A", "s", "t", EXP).replace(StsWire.NS, "urn:other");
        assertThatThrownBy(() -> StsXml.credentials(foreign, "AssumeRoleWithWebIdentity"))
                .hasMessageContaining("urn:other");
        String noKey = StsWire.webIdentitySuccess("A", "s", "t", EXP).replace("<AccessKeyId>A</AccessKeyId>", "");
        assertThatThrownBy(() -> StsXml.credentials(noKey, "AssumeRoleWithWebIdentity"))
                .hasMessageContaining("no <AccessKeyId>");
    }

    @Test
    void refusesDoctypesSoNoExternalEntityIsEverRead(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "file-content-that-must-not-leak");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + StsWire.webIdentitySuccess("&x;", "s", "t", EXP);
        assertThatThrownBy(() -> StsXml.credentials(xxe, "AssumeRoleWithWebIdentity"))
                .isInstanceOf(StsXml.MalformedException.class)
                .hasMessageNotContaining("file-content");
        String billionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><Error><Code>&lol2;</Code></Error>";
        assertThat(StsXml.error(billionLaughs)).isEmpty();
    }

    @Test
    void readsBothErrorShapes() {
        StsError sts = StsXml.error(StsWire.stsError("Sender", "AccessDenied", "Not authorized")).orElseThrow();
        assertThat(sts).isEqualTo(new StsError("Sender", "AccessDenied", "Not authorized", "8d5a3bbc-6b4f-4d1e-9b1c-EXAMPLE"));
        StsError s3 = StsXml.error(StsWire.s3Error("AccessDenied", "")).orElseThrow();
        assertThat(s3.code()).isEqualTo("AccessDenied");
        assertThat(s3.type()).isNull();
        assertThat(s3.message()).isNull();
        assertThat(s3.requestId()).isEqualTo("tx0000086f5b2bd4e0a-0065-default");
        assertThat(StsXml.error("<html>502 Bad Gateway</html>")).isEmpty();
        assertThat(StsXml.error("not xml at all")).isEmpty();
    }
}
