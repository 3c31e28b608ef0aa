package io.github.ephemeralcredentials.cli;

import io.github.ephemeralcredentials.core.audit.AuditReadException;
import io.github.ephemeralcredentials.core.audit.inventory.Inventory;
import io.github.ephemeralcredentials.core.audit.inventory.InventoryJson;
import io.github.ephemeralcredentials.core.audit.inventory.InventoryOptions;
import io.github.ephemeralcredentials.core.audit.inventory.InventoryTable;
import io.github.ephemeralcredentials.core.audit.anomaly.Thresholds;
import io.github.ephemeralcredentials.core.policy.Policy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code inventory --audit FILE…}: who used which credentials, and what looks unusual. */
@Command(name = "inventory",
        mixinStandardHelpOptions = true,
        description = {"Read audit trails (JSON Lines from the action, the Jenkins plugin or the service; gzip "
                + "accepted; several files merged) and list every profile with its owner, tags, subjects, first and "
                + "last use and issued/denied/failed counts; with --policy, the profiles nobody was issued for "
                + "--unused-days days; subjects denied repeatedly; sensitive profiles issued to unusual refs; and "
                + "the anomaly signals the service raises, found over the whole history.",
                "A profile is sensitive when the policy marks it 'sensitive: true' or it carries a --sensitive-tag."},
        footerHeading = ExitCodes.FOOTER_HEADING,
        footer = {"  0  the inventory was written (findings do not change the exit code)",
                "  2  usage error",
                "  3  an audit file or the policy cannot be read, or the output cannot be written"})
final class InventoryCommand implements Callable<Integer> {

    enum Format { table, json, csv, html }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--audit", required = true, arity = "1..*", paramLabel = "FILE",
            description = "Audit trail files (JSON Lines, plain or gzip).")
    List<Path> audit;

    @Option(names = "--policy", paramLabel = "FILE",
            description = "The policy whose profiles should exist: adds owners, tags, sensitivity and unused profiles.")
    Path policy;

    @Option(names = "--unused-days", paramLabel = "N", defaultValue = "90",
            description = "With --policy: a profile with no credential issued for N days is unused (default: ${DEFAULT-VALUE}).")
    int unusedDays;

    @Option(names = "--denied-at-least", paramLabel = "N", defaultValue = "3",
            description = "List subjects denied N times or more (default: ${DEFAULT-VALUE}).")
    int deniedAtLeast;

    @Option(names = "--sensitive-tag", paramLabel = "TAG",
            description = "A tag (key or key=value) that makes a profile sensitive; repeatable "
                    + "(default: sensitive, production, env=production).")
    Set<String> sensitiveTags;

    @Option(names = "--usual-ref", paramLabel = "GLOB",
            description = "A ref a sensitive profile is expected to be used from ('*' matches anything); repeatable "
                    + "(default: refs/heads/main, refs/heads/master, refs/tags/*).")
    List<String> usualRefs;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Measure 'unused' from this instant instead of now.")
    String at;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default), json, csv (the profiles) or html (a self-contained page).")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to FILE instead of standard output (replaced; a symbolic link is refused).")
    Path output;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (unusedDays < 1 || deniedAtLeast < 1) {
            err.println("--unused-days and --denied-at-least must be at least 1");
            err.flush();
            return ExitCodes.USAGE;
        }
        Instant now;
        try {
            now = at == null ? Instant.now() : Instant.parse(at);
        } catch (DateTimeParseException e) {
            err.println("--at '" + at + "' is not an instant; write e.g. 2025-01-31T12:00:00Z");
            err.flush();
            return ExitCodes.USAGE;
        }
        Policy loaded = null;
        if (policy != null) {
            Optional<Policy> read = PolicyFiles.load(policy, err);
            if (read.isEmpty()) {
                return ExitCodes.BAD_INPUT;
            }
            loaded = read.get();
        }
        Inventory inventory;
        try {
            inventory = Inventory.read(audit, new InventoryOptions(loaded, Duration.ofDays(unusedDays), now,
                    deniedAtLeast, sensitiveTags, usualRefs, Thresholds.DEFAULT));
        } catch (AuditReadException e) {
            err.println(e.getMessage());
            err.flush();
            return ExitCodes.BAD_INPUT;
        }
        String text = switch (format) {
            case table -> InventoryTable.render(inventory, output == null && CommandLine.Help.Ansi.AUTO.enabled());
            case json -> InventoryJson.render(inventory);
            case csv -> InventoryCsv.render(inventory);
            case html -> InventoryHtml.render(inventory, Instant.now());
        };
        if (output == null) {
            PrintWriter out = spec.commandLine().getOut();
            out.print(text);
            out.flush();
        } else {
            try {
                if (Files.isSymbolicLink(output)) {
                    throw new IOException("is a symbolic link");
                }
                Files.writeString(output, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                err.println(output + ": cannot write the inventory: " + e.getMessage()
                        + "; name a regular file in a writable directory");
                err.flush();
                return ExitCodes.BAD_INPUT;
            }
        }
        if (!inventory.problems().isEmpty() && format != Format.table) {
            err.println("note: " + inventory.problems().size() + " line(s) were not audit records and were skipped; "
                    + "the first: " + io.github.ephemeralcredentials.core.audit.inventory.Printable.of(inventory.problems().get(0)));
            err.flush();
        }
        return ExitCodes.OK;
    }
}
