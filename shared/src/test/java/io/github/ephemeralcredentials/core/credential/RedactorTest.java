package io.github.ephemeralcredentials.core.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY\"EXAMPLE KEY";

    @Test
    void masksTheValueWherever_itAppears() {
        Redactor r = Redactor.of(SECRET);
        assertThat(r.redact("key=" + SECRET + " and again " + SECRET + "."))
                .isEqualTo("key=**** and again ****.");
    }

    @Test
    void masksBase64InBothAlphabetsWithAndWithoutPadding() {
        Redactor r = Redactor.of(SECRET);
        byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
        for (String encoded : List.of(Base64.getEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))) {
            assertThat(r.redact("Authorization: " + encoded + " end")).doesNotContain(encoded)
                    .startsWith("Authorization: ").endsWith(" end").contains(Redactor.MASK);
        }
    }

    @Test
    void masksBase64OfTheSecretInsideALongerEncodedText_atEveryByteOffset() {
        Redactor r = Redactor.of(SECRET);
        for (String prefix : List.of("", "u:", "us:", "user:", "AKIA0123:")) {
            String basic = Base64.getEncoder().encodeToString((prefix + SECRET + "!tail").getBytes(StandardCharsets.UTF_8));
            String redacted = r.redact("Basic " + basic);
            assertThat(redacted).as("prefix '%s'", prefix).contains(Redactor.MASK);
            // What survives is the encoding of the surrounding bytes plus at most two mixed characters each side.
            int surrounding = (int) Math.ceil((prefix.length() + "!tail".length()) * 4 / 3.0) + 4;
            assertThat(redacted.replace("Basic ", "").replace(Redactor.MASK, "").length())
                    .isLessThanOrEqualTo(surrounding);
        }
    }

    @Test
    void masksUrlEncodedAndJsonEscapedForms() {
        Redactor r = Redactor.of(SECRET);
        String formPlus = URLEncoder.encode(SECRET, StandardCharsets.UTF_8);
        String form20 = formPlus.replace("+", "%20");
        String json = "{\"k\":\"wJalrXUtnFEMI/K7MDENG+bPxRfiCY\\\"EXAMPLE KEY\"}";
        assertThat(r.redact("a=" + formPlus)).isEqualTo("a=****");
        assertThat(r.redact("a=" + form20)).isEqualTo("a=****");
        assertThat(r.redact(json)).isEqualTo("{\"k\":\"****\"}");
    }

    @Test
    void masksEachLineOfAMultiLineSecret_trimmedOrNot() {
        String pem = "-----BEGIN PRIVATE KEY-----\r\n  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----";
        Redactor r = Redactor.of(pem);
        assertThat(r.redact("line: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC")).isEqualTo("line: ****");
        assertThat(r.redact("  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC|")).isEqualTo("****|");
        assertThat(r.redact("BKcwggSjAgEAAoIBAQC7")).isEqualTo("****");
        assertThat(r.redact(pem)).isEqualTo("****");
    }

    @Test
    void leavesShortSecretsAndShortFragmentsAlone_soLogsStayReadable() {
        assertThat(Redactor.of("abc").redact("abc abc")).isEqualTo("abc abc");
        // A multi-line secret whose second line is short: that line is not masked on its own.
        Redactor r = Redactor.of("a-long-first-line\nok");
        assertThat(r.redact("ok, done")).isEqualTo("ok, done");
        assertThat(r.redact("a-long-first-line")).isEqualTo("****");
        assertThat(Redactor.formsOf("abcd")).containsExactlyInAnyOrder("abcd", "YWJjZA==");
    }

    @Test
    void longerFormsWinWhereFormsOverlap() {
        Redactor r = Redactor.of("secret-one", "secret-one-and-more");
        assertThat(r.redact("x secret-one-and-more y")).isEqualTo("x **** y");
    }

    @Test
    void ignoresNullAndBlankAndHandlesRegexMetacharacters() {
        Redactor r = Redactor.of(java.util.Arrays.asList(null, " ", "a.b*c+d(e)[f]$1\\Q"));
        assertThat(r.redact("x a.b*c+d(e)[f]$1\\Q y")).isEqualTo("x **** y");
        assertThat(r.redact("x aXbbbcd y")).isEqualTo("x aXbbbcd y");
        assertThat(r.redact(null)).isNull();
        assertThat(Redactor.none().redact("anything")).isEqualTo("anything");
    }

    @Test
    void describesAFailureChainWithoutItsSecrets() {
        Redactor r = Redactor.of(SECRET);
        RuntimeException e = new RuntimeException("outer " + SECRET, new IllegalStateException("inner " + SECRET));
        assertThat(r.describe(e)).isEqualTo("RuntimeException: outer **** <- IllegalStateException: inner ****");
    }

    @Test
    void takesTheSecretsOfACredential() {
        EphemeralCredential c = new EphemeralCredential("p", List.of(
                CredentialValue.plain("id", "AKIAEXAMPLEPLAIN", "ID"),
                CredentialValue.secret("key", "the-secret-value", "KEY")), Map.of(), Instant.EPOCH, List.of(), List.of());
        Redactor r = Redactor.of(c);
        assertThat(r.redact("AKIAEXAMPLEPLAIN the-secret-value")).isEqualTo("AKIAEXAMPLEPLAIN ****");
        assertThat(r.and("AKIAEXAMPLEPLAIN").redact("AKIAEXAMPLEPLAIN the-secret-value")).isEqualTo("**** ****");
        assertThat(r.reveals("x the-secret-value")).isTrue();
        assertThat(r.reveals("nothing here")).isFalse();
    }

    @Test
    void signedJwtsAreMaskedWhateverTheirValueWhenAsked() {
        String later = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqb2I6YSJ9.c2lnbmF0dXJlLW9mLWEtbGF0ZXItdG9rZW4";
        String line = "token=" + later + " and the known secret s3cr3t-value";

        assertThat(Redactor.of("s3cr3t-value").redact(line)).contains(later);
        Redactor both = Redactor.of("s3cr3t-value").andSignedJwts();
        assertThat(both.redact(line)).isEqualTo("token=**** and the known secret ****");
        assertThat(Redactor.none().andSignedJwts().redact("Bearer " + later)).isEqualTo("Bearer ****");
        assertThat(both.and("another-secret").redact(later)).as("adding secrets keeps the JWT rule").isEqualTo("****");
        assertThat(both.redact("eyJ but not a token. eyJhbGci")).isEqualTo("eyJ but not a token. eyJhbGci");
        assertThat(both).isNotEqualTo(Redactor.of("s3cr3t-value"));
    }

    /**
     * The redactor looks for a secret's forms only in texts that hold one of its probes, so every form must start
     * with a probe: checked for secrets of every shape the encodings treat differently (a fixed seed, so a failure
     * reproduces).
     */
    @Test
    void everyFormOfASecretStartsWithOneOfItsProbes() {
        String[] pieces = {"a", "Z", "0", "+", "/", "-", "_", "=", "%", " ", "\t", "\"", "\\", "\u0001", "é", "中",
                "\uD83D\uDE00", "\u200F", "\u00A0", "\n", "\r\n", "\u2028", "\u0085", "."};
        java.util.Random random = new java.util.Random(20261204);
        List<String> secrets = new java.util.ArrayList<>(List.of("abcd", "abcdefgh", "   padded secret   ",
                "eyJhbGciOiJSUzI1NiJ9." + "eyJzdWIiOiJyZXBvOm8vciJ9".repeat(40) + ".c2lnbmF0dXJl"));
        for (int i = 0; i < 3_000; i++) {
            StringBuilder secret = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                // Mostly one-line secrets (the probes' own path), some with line breaks.
                String piece = pieces[random.nextInt(pieces.length)];
                secret.append(random.nextInt(4) == 0 || !piece.matches("[\\n\\r\u2028\u0085]+") ? piece : "x");
            }
            secrets.add(secret.toString());
        }
        for (String secret : secrets) {
            var probes = Redactor.probesOf(secret);
            for (String form : Redactor.formsOf(secret)) {
                assertThat(probes.stream().anyMatch(form::startsWith))
                        .as("a probe of %s starts its form %s (probes %s)", escape(secret), escape(form), probes)
                        .isTrue();
            }
        }
    }

    @Test
    void aTextWithoutAProbeIsLeftAloneAndOneWithAFormDeepInsideIsMasked() {
        String token = "eyJhbGciOiJSUzI1NiJ9." + "eyJzdWIiOiJyZXBvOm8vciJ9".repeat(40) + ".c2lnbmF0dXJl";
        Redactor r = Redactor.of(token);
        String line = "{\"subject\":\"repo:o/r\",\"outcome\":\"ISSUED\"}";
        assertThat(r.redact(line)).isSameAs(line);

        String shiftedBase64 = Base64.getEncoder().encodeToString(("xy:" + token).getBytes(StandardCharsets.UTF_8));
        assertThat(r.redact("Authorization: Basic " + shiftedBase64)).doesNotContain(shiftedBase64.substring(8, 40))
                .contains(Redactor.MASK);
        assertThat(r.reveals(URLEncoder.encode("q=" + token, StandardCharsets.UTF_8))).isTrue();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u{%X}", c)
                : Character.toString(c)));
        return out.toString();
    }
}
