package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.audit.inventory.Inventory;
import io.github.ephemeralcredentials.core.audit.inventory.Printable;
import io.github.ephemeralcredentials.core.audit.inventory.ProfileUsage;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The inventory as one self-contained HTML page: inline CSS and a few lines of inline script that sort a table when
 * its column heading is clicked; nothing fetched from the network. A Content-Security-Policy allows only this page's
 * own script (by nonce) and styles, no connections, no images from elsewhere, as defence in depth: every audit value
 * is attacker-chosen and is escaped for HTML, with control and bidi characters shown as escapes.
 */
final class InventoryHtml {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
            .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private InventoryHtml() {
    }

    /** A table cell: what is shown and, when different, the value it sorts by. */
    private record Cell(String text, String sortKey, String css) {
        static Cell of(String text) {
            return new Cell(text, null, null);
        }

        static Cell number(int n, String css) {
            return new Cell(Integer.toString(n), Integer.toString(n), n > 0 ? css : null);
        }

        static Cell time(Instant t) {
            return t == null ? new Cell("–", "", "muted") : new Cell(MINUTES.format(t), t.toString(), "time");
        }
    }

    static String render(Inventory inventory, Instant generatedAt) {
        byte[] nonceBytes = new byte[18];
        RANDOM.nextBytes(nonceBytes);
        String nonce = Base64.getEncoder().encodeToString(nonceBytes);
        StringBuilder html = new StringBuilder(16 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-")
                .append(nonce).append("'; base-uri 'none'; form-action 'none'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Ephemeral Credentials inventory</title>\n<style>").append(CSS).append("</style></head>\n<body>\n")
                .append("<header><h1>Credential inventory</h1><p class=\"muted\">From ")
                .append(inventory.records()).append(" audit records · generated ")
                .append(escape(MINUTES.format(generatedAt))).append("</p>\n<div class=\"cards\">")
                .append(card("Profiles", inventory.profiles().size(), null))
                .append(card("Unused", inventory.unused().size(), "warn"))
                .append(card("Denied repeatedly", inventory.repeatedlyDenied().size(), "bad"))
                .append(card("Unusual refs", inventory.unusualRefs().size(), "bad"))
                .append(card("Anomalies", inventory.anomalies().size(), "bad"))
                .append("</div></header>\n<main>\n");

        List<List<Cell>> rows = new ArrayList<>();
        for (ProfileUsage p : inventory.profiles()) {
            String badges = (p.sensitive() ? " [sensitive]" : "") + (p.inPolicy() ? "" : " [not in policy]")
                    + (inventory.unused().contains(p) ? " [unused]" : "");
            rows.add(List.of(new Cell(p.profile() + badges, p.profile(), p.sensitive() ? "sensitive" : null),
                    Cell.of(nz(p.owner())), Cell.of(String.join(", ", p.tags())),
                    new Cell(String.join(", ", p.subjects()), Integer.toString(p.subjects().size()), "wrap"),
                    Cell.number(p.issued(), "good"), Cell.number(p.denied(), "bad"), Cell.number(p.failed(), "warn"),
                    Cell.time(p.firstUse()), Cell.time(p.lastUse())));
        }
        section(html, "profiles", "Profiles", "Every profile the trails (and the policy) name.",
                List.of("Profile", "Owner", "Tags", "Subjects", "Issued", "Denied", "Failed", "First use", "Last use"),
                List.of(false, false, false, true, true, true, true, false, false), rows);

        rows = new ArrayList<>();
        for (Inventory.SubjectDenials d : inventory.repeatedlyDenied()) {
            rows.add(List.of(Cell.of(d.subject()), Cell.number(d.count(), "bad"), Cell.time(d.lastDenied()),
                    Cell.of(String.join(", ", d.profiles())), Cell.of(String.join(", ", d.reasons()))));
        }
        section(html, "denied", "Subjects denied repeatedly", null,
                List.of("Subject", "Denials", "Last denied", "Profiles", "Reasons"),
                List.of(false, true, false, false, false), rows);

        rows = new ArrayList<>();
        for (Inventory.UnusualRef u : inventory.unusualRefs()) {
            rows.add(List.of(Cell.time(u.timestamp()), Cell.of(u.profile()), Cell.of(nz(u.subject())),
                    Cell.of(u.ref() == null ? "(no ref)" : u.ref())));
        }
        section(html, "refs", "Sensitive profiles issued to unusual refs", null,
                List.of("When", "Profile", "Subject", "Ref"), List.of(false, false, false, false), rows);

        rows = new ArrayList<>();
        for (Inventory.Flagged f : inventory.anomalies()) {
            rows.add(List.of(Cell.time(f.timestamp()), Cell.of(nz(f.subject())), Cell.of(nz(f.profile())),
                    Cell.of(f.outcome().name()), new Cell(String.join(", ", f.signals()), null, "bad")));
        }
        section(html, "anomalies", "Anomalies", null, List.of("When", "Subject", "Profile", "Outcome", "Signals"),
                List.of(false, false, false, false, false), rows);

        if (!inventory.problems().isEmpty()) {
            html.append("<section><h2>Skipped lines</h2><ul class=\"problems\">");
            inventory.problems().stream().limit(100).forEach(p -> html.append("<li>").append(escape(p)).append("</li>"));
            html.append("</ul></section>\n");
        }
        html.append("</main>\n<script nonce=\"").append(nonce).append("\">").append(SCRIPT).append("</script>\n</body></html>\n");
        return html.toString();
    }

    private static String card(String label, int count, String css) {
        return "<div class=\"card" + (count > 0 && css != null ? " " + css : "") + "\"><span class=\"n\">" + count
                + "</span><span>" + escape(label) + "</span></div>";
    }

    private static void section(StringBuilder html, String id, String title, String note, List<String> headings,
                                List<Boolean> numeric, List<List<Cell>> rows) {
        html.append("<section id=\"").append(id).append("\"><h2>").append(escape(title)).append("</h2>");
        if (note != null) {
            html.append("<p class=\"muted\">").append(escape(note)).append("</p>");
        }
        if (rows.isEmpty()) {
            html.append("<p class=\"muted\">None.</p></section>\n");
            return;
        }
        html.append("<table class=\"sortable\" data-table=\"").append(id).append("\"><thead><tr>");
        for (int i = 0; i < headings.size(); i++) {
            html.append("<th aria-sort=\"none\" data-type=\"").append(numeric.get(i) ? "number" : "text")
                    .append("\"><button type=\"button\">").append(escape(headings.get(i))).append("</button></th>");
        }
        html.append("</tr></thead><tbody>\n");
        for (List<Cell> row : rows) {
            html.append("<tr>");
            for (Cell cell : row) {
                html.append("<td");
                if (cell.css() != null) {
                    html.append(" class=\"").append(cell.css()).append('"');
                }
                if (cell.sortKey() != null) {
                    html.append(" data-sort=\"").append(escape(cell.sortKey())).append('"');
                }
                html.append('>').append(escape(cell.text())).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody></table></section>\n");
    }

    /** HTML text or attribute value: markup characters as entities, control and bidi characters as visible escapes. */
    static String escape(String text) {
        String printable = Printable.of(text);
        StringBuilder out = new StringBuilder(printable.length() + 16);
        for (int i = 0; i < printable.length(); i++) {
            char c = printable.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                case '`' -> out.append("&#96;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String nz(String value) {
        return value == null ? "–" : value;
    }

    private static final String CSS = """
            :root{--bg:#f6f7f9;--fg:#1d2330;--muted:#687082;--line:#dfe3ea;--card:#fff;--good:#17803d;--bad:#b4232a;--warn:#9a6700;--accent:#3451b2}
            @media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e6e9ef;--muted:#98a0b0;--line:#2b313b;--card:#1c2027;--good:#4ac26b;--bad:#ff7b72;--warn:#d29922;--accent:#8ea6ff}}
            *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
            header{padding:24px 32px 8px}h1{margin:0 0 4px;font-size:24px}h2{font-size:17px;margin:28px 0 8px}
            main{padding:0 32px 40px}.muted{color:var(--muted)}
            .cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:10px 16px;min-width:130px;display:flex;flex-direction:column}
            .card .n{font-size:26px;font-weight:650}.card.bad .n{color:var(--bad)}.card.warn .n{color:var(--warn)}
            table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden}
            th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;overflow-wrap:break-word}td.time{white-space:nowrap}
            th{background:color-mix(in srgb,var(--card) 85%,var(--accent));position:sticky;top:0}
            th button{all:unset;cursor:pointer;font-weight:600;white-space:nowrap}th button:focus-visible{outline:2px solid var(--accent)}
            th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
            th[data-type=number],td[data-sort]:not(.wrap){font-variant-numeric:tabular-nums}
            tbody tr:hover{background:color-mix(in srgb,var(--card) 92%,var(--accent))}
            td.good{color:var(--good);font-weight:600}td.bad{color:var(--bad);font-weight:600}td.warn{color:var(--warn);font-weight:600}
            td.sensitive{font-weight:600}td.wrap{max-width:28em}.problems{font-family:ui-monospace,monospace;font-size:12px}
            """;

    /** Sorts a table by the clicked column: numbers numerically, the rest by data-sort or text; again to reverse. */
    private static final String SCRIPT = """
            document.querySelectorAll('table.sortable').forEach(function(table){
              var heads=table.tHead.rows[0].cells;
              Array.prototype.forEach.call(heads,function(th,col){
                th.querySelector('button').addEventListener('click',function(){
                  var asc=th.getAttribute('aria-sort')!=='ascending';
                  Array.prototype.forEach.call(heads,function(h){h.setAttribute('aria-sort','none');});
                  th.setAttribute('aria-sort',asc?'ascending':'descending');
                  var numeric=th.dataset.type==='number';
                  var key=function(row){var c=row.cells[col];var v=c.hasAttribute('data-sort')?c.dataset.sort:c.textContent;return numeric?Number(v):v;};
                  var body=table.tBodies[0];
                  var rows=Array.prototype.slice.call(body.rows);
                  rows.sort(function(a,b){var x=key(a),y=key(b);var r=numeric?x-y:String(x).localeCompare(String(y));return asc?r:-r;});
                  rows.forEach(function(r){body.appendChild(r);});
                });
              });
            });
            """;
}
