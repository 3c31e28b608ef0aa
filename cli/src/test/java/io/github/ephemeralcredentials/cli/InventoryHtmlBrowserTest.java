package io.github.ephemeralcredentials.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.AuditRecord.Outcome;
import io.github.ephemeralcredentials.core.audit.inventory.Inventory;
import io.github.ephemeralcredentials.core.audit.inventory.InventoryOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory's HTML page in a real headless Chromium: it renders (a screenshot with the table in it), hostile
 * audit values stay text (no script of theirs runs), and a click on a column heading sorts the rows — checked in the
 * DOM and in the pixels, which change where the table is and nowhere else is asserted.
 */
class InventoryHtmlBrowserTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @TempDir
    Path dir;

    private static AuditRecord rec(int minute, String subject, String profile, Outcome outcome) {
        return AuditRecord.builder().timestamp(T0.plusSeconds(60L * minute)).issuer("https://issuer.test")
                .subject(subject).profile(profile).owner("team").claims(Map.of("ref", "refs/heads/main"))
                .outcome(outcome).build();
    }

    @Test
    void theTableRendersSortsOnAClickAndHostileValuesStayText() throws Exception {
        List<AuditRecord> trail = new ArrayList<>();
        String[] profiles = {"bravo", "alpha", "delta", "charlie", "<script>window.__pwned=1</script>",
                "<img src=x onerror=\"window.__pwned=2\">"};
        int[] issued = {5, 1, 9, 3, 2, 7};
        int minute = 0;
        for (int p = 0; p < profiles.length; p++) {
            for (int i = 0; i < issued[p]; i++) {
                trail.add(rec(minute++, "repo:acme/app\u202Egnp.exe", profiles[p], Outcome.ISSUED));
            }
        }
        Inventory inventory = Inventory.of(trail, List.of(), InventoryOptions.defaults());
        Path page = Files.writeString(dir.resolve("inventory.html"), InventoryHtml.render(inventory, T0));

        try (HeadlessChromium chromium = HeadlessChromium.start(dir)) {
            chromium.open(page);
            assertThat(chromium.eval("typeof window.__pwned").asText()).isEqualTo("undefined");
            assertThat(chromium.eval("document.title").asText()).isEqualTo("Ephemeral Credentials inventory");
            assertThat(chromium.eval("document.querySelectorAll('#profiles img, main script').length").asInt()).isZero();
            assertThat(chromium.eval("document.querySelector('#profiles tbody').textContent").asText())
                    .contains("<script>window.__pwned=1</script>").contains("repo:acme/app\\u202Egnp.exe")
                    .doesNotContain("\u202E");

            JsonNode box = chromium.eval("(function(){var r=document.querySelector('#profiles table')"
                    + ".getBoundingClientRect();return {x:r.x,y:r.y,w:r.width,h:r.height};})()");
            assertThat(box.path("h").asDouble()).as("table height").isGreaterThan(100);
            assertThat(box.path("y").asDouble() + box.path("h").asDouble()).as("table inside the window").isLessThan(900);
            BufferedImage before = ImageIO.read(new ByteArrayInputStream(chromium.screenshot()));
            assertThat(before.getWidth()).isEqualTo(1280);
            assertThat(colours(before, box)).as("distinct colours where the table is").isGreaterThan(8);

            assertThat(issuedColumn(chromium)).as("by profile name").containsExactly(7, 2, 1, 5, 3, 9);
            JsonNode heading = chromium.eval("(function(){var b=[...document.querySelectorAll('#profiles th button')]"
                    + ".find(b=>b.textContent==='Issued').getBoundingClientRect();return {x:b.x+b.width/2,y:b.y+b.height/2};})()");
            chromium.click(heading.path("x").asDouble(), heading.path("y").asDouble());
            assertThat(issuedColumn(chromium)).containsExactly(1, 2, 3, 5, 7, 9);
            assertThat(chromium.eval("[...document.querySelectorAll('#profiles th')].find(t=>t.textContent.startsWith('Issued'))"
                    + ".getAttribute('aria-sort')").asText()).isEqualTo("ascending");
            BufferedImage sorted = ImageIO.read(new ByteArrayInputStream(chromium.screenshot()));
            assertThat(changedPixels(before, sorted, box)).as("pixels changed inside the table").isGreaterThan(200);

            chromium.click(heading.path("x").asDouble(), heading.path("y").asDouble());
            assertThat(issuedColumn(chromium)).containsExactly(9, 7, 5, 3, 2, 1);
            Files.write(dir.resolve("sorted.png"), chromium.screenshot());
        }
    }

    private static List<Integer> issuedColumn(HeadlessChromium chromium) throws Exception {
        JsonNode cells = chromium.eval("[...document.querySelectorAll('#profiles tbody tr')].map(r=>Number(r.cells[4].textContent))");
        List<Integer> values = new ArrayList<>();
        cells.forEach(c -> values.add(c.asInt()));
        return values;
    }

    private static int colours(BufferedImage image, JsonNode box) {
        Set<Integer> seen = new HashSet<>();
        forEachPixel(image, box, (x, y) -> seen.add(image.getRGB(x, y)));
        return seen.size();
    }

    private static int changedPixels(BufferedImage a, BufferedImage b, JsonNode box) {
        int[] changed = {0};
        forEachPixel(a, box, (x, y) -> {
            if (a.getRGB(x, y) != b.getRGB(x, y)) {
                changed[0]++;
            }
        });
        return changed[0];
    }

    private static void forEachPixel(BufferedImage image, JsonNode box, java.util.function.BiConsumer<Integer, Integer> each) {
        int x0 = Math.max(0, (int) box.path("x").asDouble());
        int y0 = Math.max(0, (int) box.path("y").asDouble());
        int x1 = Math.min(image.getWidth(), (int) (box.path("x").asDouble() + box.path("w").asDouble()));
        int y1 = Math.min(image.getHeight(), (int) (box.path("y").asDouble() + box.path("h").asDouble()));
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                each.accept(x, y);
            }
        }
    }
}
