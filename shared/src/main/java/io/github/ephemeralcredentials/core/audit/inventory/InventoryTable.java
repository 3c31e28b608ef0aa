package io.github.ephemeralcredentials.core.audit.inventory;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The inventory as text for a person at a terminal: the profiles table, then each finding section that has entries.
 * Every value goes through {@link Printable}; colour (bold headings, red for denials) only when asked.
 */
public final class InventoryTable {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int CELL = 40;

    private InventoryTable() {
    }

    public static String render(Inventory inventory, boolean colour) {
        StringBuilder out = new StringBuilder();
        heading(out, "Profiles (" + inventory.records() + " audit records)", colour);
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("PROFILE", "OWNER", "TAGS", "SUBJECTS", "ISSUED", "DENIED", "FAILED", "FIRST USE", "LAST USE"));
        for (ProfileUsage p : inventory.profiles()) {
            rows.add(List.of(p.profile() + (p.sensitive() ? " (sensitive)" : "") + (p.inPolicy() ? "" : " (not in policy)"),
                    nz(p.owner()), String.join(",", p.tags()), subjects(p.subjects()),
                    Integer.toString(p.issued()), Integer.toString(p.denied()), Integer.toString(p.failed()),
                    time(p.firstUse()), time(p.lastUse())));
        }
        table(out, rows);
        if (!inventory.unused().isEmpty()) {
            heading(out, "Unused profiles (no credential issued lately; candidates for removal)", colour);
            rows = new ArrayList<>();
            rows.add(List.of("PROFILE", "OWNER", "LAST ISSUED"));
            for (ProfileUsage p : inventory.unused()) {
                rows.add(List.of(p.profile(), nz(p.owner()), p.lastIssued() == null ? "never" : time(p.lastIssued())));
            }
            table(out, rows);
        }
        if (!inventory.repeatedlyDenied().isEmpty()) {
            heading(out, "Subjects denied repeatedly", colour);
            rows = new ArrayList<>();
            rows.add(List.of("SUBJECT", "DENIALS", "LAST DENIED", "PROFILES", "REASONS"));
            for (Inventory.SubjectDenials d : inventory.repeatedlyDenied()) {
                rows.add(List.of(d.subject(), Integer.toString(d.count()), time(d.lastDenied()),
                        String.join(",", d.profiles()), String.join(",", d.reasons())));
            }
            table(out, rows);
        }
        if (!inventory.unusualRefs().isEmpty()) {
            heading(out, "Sensitive profiles issued to unusual refs", colour);
            rows = new ArrayList<>();
            rows.add(List.of("WHEN", "PROFILE", "SUBJECT", "REF"));
            for (Inventory.UnusualRef u : inventory.unusualRefs()) {
                rows.add(List.of(time(u.timestamp()), u.profile(), nz(u.subject()), u.ref() == null ? "(no ref)" : u.ref()));
            }
            table(out, rows);
        }
        if (!inventory.anomalies().isEmpty()) {
            heading(out, "Anomalies", colour);
            rows = new ArrayList<>();
            rows.add(List.of("WHEN", "SUBJECT", "PROFILE", "OUTCOME", "SIGNALS"));
            for (Inventory.Flagged f : inventory.anomalies()) {
                rows.add(List.of(time(f.timestamp()), nz(f.subject()), nz(f.profile()), f.outcome().name(),
                        String.join(",", f.signals())));
            }
            table(out, rows);
        }
        if (!inventory.problems().isEmpty()) {
            heading(out, "Skipped lines (" + inventory.problems().size() + ")", colour);
            inventory.problems().stream().limit(20).forEach(p -> out.append("  ").append(Printable.of(p)).append('\n'));
            if (inventory.problems().size() > 20) {
                out.append("  … and ").append(inventory.problems().size() - 20).append(" more\n");
            }
        }
        return out.toString();
    }

    private static String subjects(List<String> subjects) {
        return subjects.size() <= 1 ? String.join("", subjects) : subjects.get(0) + " +" + (subjects.size() - 1);
    }

    private static String nz(String value) {
        return value == null ? "-" : value;
    }

    static String time(Instant instant) {
        return instant == null ? "-" : MINUTES.format(instant);
    }

    private static void heading(StringBuilder out, String text, boolean colour) {
        if (!out.isEmpty()) {
            out.append('\n');
        }
        out.append(colour ? "\u001b[1m" + text + "\u001b[0m" : text).append('\n');
    }

    private static void table(StringBuilder out, List<List<String>> rows) {
        List<List<String>> cells = rows.stream().map(r -> r.stream().map(v -> Printable.cell(v, CELL)).toList()).toList();
        int[] widths = new int[cells.get(0).size()];
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        }
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                String v = row.get(i);
                line.append(v);
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - v.codePointCount(0, v.length()) + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
