package io.github.ephemeralcredentials.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.github.ephemeralcredentials.core.audit.inventory.Inventory;
import io.github.ephemeralcredentials.core.audit.inventory.ProfileUsage;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The profiles table as CSV (RFC 4180, one row per profile, lists joined by {@code ;}). A cell a spreadsheet would
 * run as a formula ({@code = + - @}, tab, carriage return first) gets a leading {@code '}, as OWASP advises for CSV
 * injection: audit values are attacker-chosen.
 */
final class InventoryCsv {

    private static final CsvMapper CSV = new CsvMapper();
    private static final List<String> COLUMNS = List.of("profile", "owner", "tags", "sensitive", "inPolicy",
            "subjects", "issued", "denied", "failed", "revoked", "firstUse", "lastUse", "lastIssued", "unused");

    private InventoryCsv() {
    }

    static String render(Inventory inventory) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        COLUMNS.forEach(schema::addColumn);
        List<List<String>> rows = new ArrayList<>();
        for (ProfileUsage p : inventory.profiles()) {
            rows.add(List.of(p.profile(), nz(p.owner()), String.join(";", p.tags()), Boolean.toString(p.sensitive()),
                    Boolean.toString(p.inPolicy()), String.join(";", p.subjects()), Integer.toString(p.issued()),
                    Integer.toString(p.denied()), Integer.toString(p.failed()), Integer.toString(p.revoked()),
                    time(p.firstUse()), time(p.lastUse()), time(p.lastIssued()),
                    Boolean.toString(inventory.unused().contains(p))).stream().map(InventoryCsv::defused).toList());
        }
        try {
            return CSV.writer(schema.build()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("the inventory could not be written as CSV", e);
        }
    }

    private static String defused(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    private static String time(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
