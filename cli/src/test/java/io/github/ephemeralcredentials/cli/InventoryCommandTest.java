package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ephemeralcredentials.core.audit.AuditFile;
import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.AuditRecord.Outcome;
import io.github.ephemeralcredentials.core.credential.Redactor;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InventoryCommandTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final String HOSTILE = "repo:evil\u202Egnp\u001b[2J\u2028=HYPERLINK(\"x\")";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path plain;
    private Path gzip;

    private static AuditRecord rec(int minute, String subject, String profile, Outcome outcome, String ref) {
        return AuditRecord.builder().timestamp(T0.plusSeconds(60L * minute)).issuer("https://issuer.test")
                .subject(subject).profile(profile).owner("team-a").tags(List.of("env=production"))
                .claims(Map.of("ref", ref)).outcome(outcome)
                .reason(outcome == Outcome.DENIED ? "ACCESS_DENIED" : null, null).build();
    }

    @BeforeEach
    void trails() throws Exception {
        plain = dir.resolve("action.jsonl");
        AuditFile file = AuditFile.at(plain, w -> { });
        file.write(rec(0, "repo:acme/app:ref:refs/heads/main", "deploy-prod", Outcome.ISSUED, "refs/heads/main"),
                Redactor.none());
        file.write(rec(1, "repo:acme/app:ref:refs/heads/wip", "deploy-prod", Outcome.ISSUED, "refs/heads/wip"),
                Redactor.none());
        Files.writeString(plain, "not a record\n", java.nio.file.StandardOpenOption.APPEND);
        gzip = dir.resolve("service.jsonl.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(gzip));
             io.github.ephemeralcredentials.core.audit.JsonLinesAuditWriter writer =
                     new io.github.ephemeralcredentials.core.audit.JsonLinesAuditWriter(gz)) {
            for (int i = 0; i < 3; i++) {
                writer.write(rec(10 + i, HOSTILE, "deploy-prod", Outcome.DENIED, "refs/heads/x"), Redactor.none());
            }
        }
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void theTableMergesPlainAndGzipTrailsAndEscapesHostileValues() {
        assertThat(run("inventory", "--audit", plain.toString(), gzip.toString())).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("Profiles (5 audit records)")
                .containsPattern("deploy-prod \\(sensitive\\) +team-a +env=production .* +2 +3 +0 +2026-11-01 00:00Z")
                .contains("Subjects denied repeatedly").contains("repo:evil\\u202Egnp\\u001B[2J\\u2028")
                .contains("Sensitive profiles issued to unusual refs").contains("refs/heads/wip")
                .contains("Skipped lines (1)").contains(plain + ":3: not an audit record")
                .doesNotContain("\u202E").doesNotContain("\u001b").doesNotContain("\u2028");
    }

    @Test
    void jsonCsvAndHtml() throws Exception {
        assertThat(run("inventory", "--format", "json", "--audit", plain.toString(), gzip.toString())).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.path("records").asInt()).isEqualTo(5);
        assertThat(json.path("profiles").get(0).path("denied").asInt()).isEqualTo(3);
        assertThat(json.path("repeatedlyDenied").get(0).path("subject").asText()).isEqualTo(HOSTILE);
        assertThat(err.toString()).contains("1 line(s) were not audit records");

        out.getBuffer().setLength(0);
        assertThat(run("inventory", "--format", "csv", "--audit", gzip.toString())).isZero();
        assertThat(out.toString()).startsWith("profile,owner,tags,sensitive,inPolicy,subjects,")
                .contains(",\"repo:evil");

        out.getBuffer().setLength(0);
        Path formula = dir.resolve("formula.jsonl");
        AuditFile.at(formula, w -> { }).write(rec(0, "s", "=cmd|'/c calc'!A1", Outcome.ISSUED, "refs/heads/main"),
                Redactor.none());
        assertThat(run("inventory", "--format", "csv", "--audit", formula.toString())).isZero();
        assertThat(out.toString()).contains("\"'=cmd|'/c calc'!A1\"");

        Path html = dir.resolve("report.html");
        assertThat(run("inventory", "--format", "html", "-o", html.toString(), "--audit", gzip.toString())).isZero();
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("Content-Security-Policy")
                .doesNotContain("http://").doesNotContain("https://issuer").doesNotContain("\u202E")
                .contains("repo:evil\\u202Egnp\\u001B[2J\\u2028=HYPERLINK(&quot;x&quot;)");
    }

    @Test
    void withAPolicyUnusedProfilesAreListed() throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), """
                version: 1
                profiles:
                  deploy-prod:
                    provider: aws
                    maxLifetime: 15m
                    owner: platform
                    sensitive: true
                    parameters: {role-arn: "arn:aws:iam::123456789012:role/deploy"}
                  forgotten:
                    provider: aws
                    maxLifetime: 15m
                    parameters: {role-arn: "arn:aws:iam::123456789012:role/old"}
                rules:
                  - name: main
                    issuer: https://issuer.test
                    profiles: [deploy-prod, forgotten]
                    claims: {ref: refs/heads/main}
                """);
        assertThat(run("inventory", "--policy", policy.toString(), "--unused-days", "30", "--at",
                "2026-11-02T00:00:00Z", "--format", "json", "--audit", plain.toString())).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.path("unused").toString()).isEqualTo("[\"forgotten\"]");
        assertThat(json.path("profiles").get(0).path("owner").asText()).isEqualTo("platform");
    }

    @Test
    void unreadableInputIsBadInputNamingTheFile() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), plain);
        assertThat(run("inventory", "--audit", link.toString())).isEqualTo(3);
        assertThat(err.toString()).contains(link + ": is a symbolic link");
        assertThat(run("inventory", "--audit", "/dev/zero")).isEqualTo(3);
        assertThat(run("inventory")).isEqualTo(2);
    }
}
