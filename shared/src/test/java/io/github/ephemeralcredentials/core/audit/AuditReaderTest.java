package io.github.ephemeralcredentials.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditReaderTest {

    private static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    @TempDir
    Path dir;

    private static AuditRecord record(Instant at, String subject, AuditRecord.Outcome outcome) {
        return AuditRecord.builder().timestamp(at).issuer("https://issuer.test").subject(subject)
                .claims(Map.of("ref", "refs/heads/main")).profile("deploy").owner("team").tags(List.of("env=prod"))
                .outcome(outcome).tokenId("j").anomalies(List.of("DENIAL_BURST")).build();
    }

    @Test
    void roundTripsWhatTheWriterWritesAndMergesPlainAndGzipFilesInTimeOrder() throws Exception {
        Path plain = dir.resolve("a.jsonl");
        AuditRecord late = record(T0.plusSeconds(60), "late", AuditRecord.Outcome.ISSUED);
        AuditFile.at(plain, w -> { }).write(late, Redactor.none());
        Path gz = dir.resolve("b.log");
        AuditRecord early = record(T0, "early", AuditRecord.Outcome.DENIED).toBuilder().reason("ACCESS_DENIED", "no").build();
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write((JsonLinesAuditWriter.toJson(early) + "\n").getBytes(StandardCharsets.UTF_8));
        }

        AuditReader.Result result = AuditReader.read(List.of(plain, gz));

        assertThat(result.problems()).isEmpty();
        assertThat(result.records()).containsExactly(early, late);
    }

    @Test
    void skipsHostileLinesNamingFileAndLineButNeverTheirContent() throws Exception {
        Path file = dir.resolve("trail.jsonl");
        String good = JsonLinesAuditWriter.toJson(record(T0, "s", AuditRecord.Outcome.ISSUED));
        Files.writeString(file, String.join("\n",
                "CANARY-SECRET not json",
                "{\"timestamp\":\"yesterday\",\"outcome\":\"ISSUED\"}",
                "{\"outcome\":\"ISSUED\"}",
                "{\"timestamp\":\"2026-11-23T12:00:00Z\",\"outcome\":\"STOLEN\"}",
                "[1,2]",
                "{\"timestamp\":\"2026-11-23T12:00:00Z\",\"outcome\":\"ISSUED\",\"x\":" + "[".repeat(500) + "]",
                "x".repeat(AuditReader.MAX_LINE_CHARS + 10),
                "",
                good + " {\"extra\":1}",
                good));

        AuditReader.Result result = AuditReader.read(List.of(file));

        assertThat(result.records()).hasSize(1);
        assertThat(result.problems()).hasSize(8).allSatisfy(p -> assertThat(p).startsWith(file + ":")
                .doesNotContain("CANARY-SECRET"));
        assertThat(result.problems().get(0)).startsWith(file + ":1: not an audit record");
        assertThat(result.problems().get(1)).contains("'timestamp' is not an ISO-8601 instant");
        assertThat(result.problems().get(2)).contains("missing 'timestamp'");
        assertThat(result.problems().get(6)).contains(":7: line longer than");
    }

    @Test
    void refusesSymlinksDirectoriesAndMissingFilesWithAnActionableMessage() throws Exception {
        Path real = Files.writeString(dir.resolve("real.jsonl"), "");
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), real);
        assertThatThrownBy(() -> AuditReader.read(List.of(link))).isInstanceOf(AuditReadException.class)
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> AuditReader.read(List.of(dir))).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> AuditReader.read(List.of(dir.resolve("missing"))))
                .hasMessageContaining("not a regular file");
    }

    @Test
    void aGzipBombOfOneEndlessLineIsSkippedInBoundedMemory() throws Exception {
        Path bomb = dir.resolve("bomb.jsonl.gz");
        byte[] zeros = new byte[1 << 20];
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bomb))) {
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
        }
        AuditReader.Result result = AuditReader.read(List.of(bomb));
        assertThat(result.records()).isEmpty();
        assertThat(result.problems()).singleElement().asString().contains("line longer than");
    }
}
