package io.github.ephemeralcredentials.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.credential.Redactor;
import io.github.ephemeralcredentials.core.oidc.Claims;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static final Claims CLAIMS = Claims.of(Map.of(
            "iss", "https://token.actions.githubusercontent.com", "sub", "repo:acme/app:ref:refs/heads/main",
            "jti", "jti-1", "repository", "acme/app", "run_id", 42, "secret_looking", "not-selected",
            "aud", "sts.amazonaws.com"));

    @Test
    void writesOneJsonObjectPerLineWithTheSelectedClaims() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesAuditWriter writer = new JsonLinesAuditWriter(out)) {
            writer.write(AuditRecord.of(NOW, CLAIMS, AuditRecord.Outcome.ISSUED, AuditRecord.DEFAULT_CLAIMS)
                    .profile("deploy").owner("team-platform").tags(List.of("prod"))
                    .provider("aws").scope("role/deploy").expiresAt(NOW.plusSeconds(900)).build(), Redactor.none());
            writer.write(AuditRecord.of(NOW, CLAIMS, AuditRecord.Outcome.DENIED, AuditRecord.DEFAULT_CLAIMS)
                    .reason("ACCESS_DENIED", "trust policy did not match").build(), Redactor.none());
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines[0]);
        assertThat(first.get("timestamp").asText()).isEqualTo("2026-11-23T12:00:00Z");
        assertThat(first.get("issuer").asText()).isEqualTo("https://token.actions.githubusercontent.com");
        assertThat(first.get("subject").asText()).isEqualTo("repo:acme/app:ref:refs/heads/main");
        assertThat(first.get("claims").toString()).isEqualTo("{\"repository\":\"acme/app\",\"run_id\":\"42\"}");
        assertThat(first.get("profile").asText()).isEqualTo("deploy");
        assertThat(first.get("owner").asText()).isEqualTo("team-platform");
        assertThat(first.get("tags").toString()).isEqualTo("[\"prod\"]");
        assertThat(first.get("provider").asText()).isEqualTo("aws");
        assertThat(first.get("expiresAt").asText()).isEqualTo("2026-11-23T12:15:00Z");
        assertThat(first.get("outcome").asText()).isEqualTo("ISSUED");
        assertThat(first.get("tokenId").asText()).isEqualTo("jti-1");
        assertThat(first.has("reason")).isFalse();
        JsonNode second = JSON.readTree(lines[1]);
        assertThat(second.get("outcome").asText()).isEqualTo("DENIED");
        assertThat(second.get("reason").asText()).isEqualTo("ACCESS_DENIED");
    }

    @Test
    void redactsEveryTextFieldAndKeepsTheLineValidJson() throws Exception {
        String secret = "s3cr\"et-value\nline-two-of-it";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonLinesAuditWriter(out).write(AuditRecord.of(NOW, CLAIMS, AuditRecord.Outcome.FAILED, AuditRecord.DEFAULT_CLAIMS)
                .profile("p " + secret).tags(List.of(secret))
                .reason("UNEXPECTED_RESPONSE", "server echoed " + secret).build(), Redactor.of(secret));
        String line = out.toString(StandardCharsets.UTF_8);
        assertThat(line).doesNotContain("s3cr").doesNotContain("line-two-of-it").endsWith("\n");
        JsonNode node = JSON.readTree(line);
        assertThat(node.get("detail").asText()).isEqualTo("server echoed ****");
        assertThat(node.get("tags").get(0).asText()).isEqualTo("****");
    }

    @Test
    void appendsToAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        for (int i = 0; i < 2; i++) {
            try (JsonLinesAuditWriter writer = JsonLinesAuditWriter.append(file)) {
                writer.write(AuditRecord.of(NOW, CLAIMS, AuditRecord.Outcome.REVOKED, AuditRecord.DEFAULT_CLAIMS).build(), Redactor.none());
            }
        }
        assertThat(Files.readAllLines(file)).hasSize(2).allSatisfy(l -> assertThat(l).contains("\"REVOKED\""));
    }

    @org.junit.jupiter.api.Test
    void aClaimOrTagWithoutAValueIsOmittedNotANullPointerException() throws Exception {
        // Found by AuditLineFuzzTest: a null claim name or value made the writer throw, losing the record.
        java.util.Map<String, String> claims = new java.util.LinkedHashMap<>();
        claims.put("repository", null);
        claims.put(null, "x");
        claims.put("workflow", "ci");
        java.util.List<String> tags = new java.util.ArrayList<>();
        tags.add(null);
        tags.add("prod");
        AuditRecord record = AuditRecord.builder().timestamp(Instant.EPOCH).outcome(AuditRecord.Outcome.DENIED)
                .claims(claims).tags(tags).build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonLinesAuditWriter(out).write(record, Redactor.none());
        JsonNode line = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(line.path("claims").toString()).isEqualTo("{\"workflow\":\"ci\"}");
        assertThat(line.path("tags").toString()).isEqualTo("[\"prod\"]");
    }

    /** A link planted where the audit log goes must not make a root process append to the link's target. */
    @Test
    void refusesALinkOrAnythingButARegularFile(@TempDir Path dir) throws Exception {
        Path target = Files.writeString(dir.resolve("root-only"), "precious\n");
        Path link = Files.createSymbolicLink(dir.resolve("audit.jsonl"), target);
        assertThatThrownBy(() -> JsonLinesAuditWriter.append(link)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("link");
        assertThat(target).hasContent("precious");
        Path directory = Files.createDirectory(dir.resolve("a-directory.jsonl"));
        assertThatThrownBy(() -> JsonLinesAuditWriter.append(directory)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("regular file");
    }

    /** Python's splitlines(), JavaScript before ES2019 and many log viewers break a line at these. */
    @Test
    void escapesEveryCharacterSomeReaderTakesForALineBreak() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String hostile = "a\u2028b\u2029c\u0085d\u000Be\u000Cf\u001Cg\u001Dh\u001Ei\rj";
        new JsonLinesAuditWriter(out).write(AuditRecord.of(NOW, CLAIMS, AuditRecord.Outcome.FAILED,
                AuditRecord.DEFAULT_CLAIMS).profile(hostile).build(), Redactor.none());
        String line = out.toString(StandardCharsets.UTF_8);
        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\u2028", "\u2029", "\u0085", "\u000B",
                "\u000C", "\u001C", "\u001D", "\u001E", "\r", "\n");
        assertThat(JSON.readTree(line).get("profile").asText()).isEqualTo(hostile);
    }
}
