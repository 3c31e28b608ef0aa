package io.github.ephemeralcredentials.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the audit trail as its reader sees it: any record, with any text in any field (a secret planted among them),
 * written by {@link JsonLinesAuditWriter} is exactly one line of one JSON object, which a JSON Lines reader parses
 * back into the same (redacted) values, and the bytes never hold the secret. The core has no audit reader of its own;
 * the reader here is what every consumer does: split on {@code \n}, parse each line.
 */
class AuditLineFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "10s")
    void auditLine(FuzzedDataProvider data) throws Exception {
        String secret = "canary-" + data.consumeString(40);
        Redactor redactor = Redactor.of(secret);
        Map<String, String> claims = new LinkedHashMap<>();
        int claimCount = data.consumeInt(0, 4);
        for (int i = 0; i < claimCount; i++) {
            claims.put(field(data, secret), field(data, secret));
        }
        List<String> tags = new ArrayList<>();
        int tagCount = data.consumeInt(0, 3);
        for (int i = 0; i < tagCount; i++) {
            tags.add(field(data, secret));
        }
        AuditRecord record = AuditRecord.builder()
                .timestamp(Instant.ofEpochSecond(data.consumeLong(0, 253_402_300_799L)))
                .issuer(field(data, secret)).subject(field(data, secret)).claims(claims).profile(field(data, secret))
                .owner(field(data, secret)).tags(tags).provider(field(data, secret)).scope(field(data, secret))
                .outcome(data.pickValue(AuditRecord.Outcome.values()))
                .reason(field(data, secret), field(data, secret)).tokenId(field(data, secret))
                .build();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesAuditWriter writer = new JsonLinesAuditWriter(out)) {
            writer.write(record, redactor);
        }
        String written = out.toString(StandardCharsets.UTF_8);
        assertThat(written).endsWith("\n");
        assertThat(written.split("\n", -1)).as("one record, one line").hasSize(2);
        JsonNode read = JSON.readTree(written);
        // On the decoded text, not the bytes: JSON's own escapes (a backslash) may spell part of a secret.
        assertThat(texts(read, new ArrayList<>())).noneMatch(text -> text.contains(secret));

        AuditRecord expected = record.redacted(redactor);
        assertThat(read.path("outcome").asText()).isEqualTo(expected.outcome().name());
        assertThat(read.path("timestamp").asText()).isEqualTo(expected.timestamp().toString());
        assertText(read, "issuer", expected.issuer());
        assertText(read, "subject", expected.subject());
        assertText(read, "profile", expected.profile());
        assertText(read, "owner", expected.owner());
        assertText(read, "provider", expected.provider());
        assertText(read, "scope", expected.scope());
        assertText(read, "reason", expected.reason());
        assertText(read, "detail", expected.detail());
        assertText(read, "tokenId", expected.tokenId());
        Map<String, String> readClaims = new LinkedHashMap<>();
        read.path("claims").fields().forEachRemaining(e -> readClaims.put(e.getKey(), e.getValue().asText()));
        assertThat(readClaims).isEqualTo(expected.claims());
        List<String> readTags = new ArrayList<>();
        read.path("tags").forEach(t -> readTags.add(t.asText()));
        assertThat(readTags).isEqualTo(expected.tags());
    }

    /** A field's text: null, arbitrary, or arbitrary around the secret (a secret that slipped into a message). */
    private static String field(FuzzedDataProvider data, String secret) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> null;
            case 1 -> data.consumeString(64) + secret + data.consumeString(16);
            default -> data.consumeString(64);
        };
    }

    private static void assertText(JsonNode read, String name, String expected) {
        if (expected == null) {
            assertThat(read.has(name)).as(name + " omitted").isFalse();
        } else {
            assertThat(read.path(name).asText()).as(name).isEqualTo(expected);
        }
    }

    /** Every name and text value in the line, as a reader decodes them. */
    private static List<String> texts(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        }
        node.fields().forEachRemaining(e -> {
            out.add(e.getKey());
            texts(e.getValue(), out);
        });
        if (node.isArray()) {
            node.forEach(element -> texts(element, out));
        }
        return out;
    }
}
