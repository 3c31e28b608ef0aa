package io.github.ephemeralcredentials.core.audit.inventory;

import io.github.ephemeralcredentials.core.audit.AuditReader;
import io.github.ephemeralcredentials.core.audit.AuditRecord;
import io.github.ephemeralcredentials.core.audit.AuditRecord.Outcome;
import io.github.ephemeralcredentials.core.audit.anomaly.AnomalyDetector;
import io.github.ephemeralcredentials.core.policy.Profile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the audit trails say about who uses which credentials: every profile with its owner, tags, subjects, first
 * and last use and counts; the policy's profiles nobody used lately; subjects denied repeatedly; sensitive profiles
 * issued to unusual refs; and the anomaly signals over the whole history (the service's rule, {@link AnomalyDetector}).
 *
 * @param records  how many records were read
 * @param problems lines skipped, {@code file:line: why}
 */
public record Inventory(int records, List<ProfileUsage> profiles, List<ProfileUsage> unused,
                        List<SubjectDenials> repeatedlyDenied, List<UnusualRef> unusualRefs,
                        List<Flagged> anomalies, List<String> problems) {

    /** A subject denied {@code count} times in all, the last at {@code lastDenied} for {@code profiles}. */
    public record SubjectDenials(String subject, int count, Instant lastDenied, List<String> profiles,
                                 List<String> reasons) {
        public SubjectDenials {
            profiles = List.copyOf(profiles);
            reasons = List.copyOf(reasons);
        }
    }

    /** A sensitive profile issued to a job whose {@code ref} is not one of the usual refs. */
    public record UnusualRef(Instant timestamp, String profile, String subject, String ref) {
    }

    /** A record the detector flagged: its own recorded flags (from the service) and those found over history. */
    public record Flagged(Instant timestamp, String subject, String profile, Outcome outcome, List<String> signals) {
        public Flagged {
            signals = List.copyOf(signals);
        }
    }

    public Inventory {
        profiles = List.copyOf(profiles);
        unused = List.copyOf(unused);
        repeatedlyDenied = List.copyOf(repeatedlyDenied);
        unusualRefs = List.copyOf(unusualRefs);
        anomalies = List.copyOf(anomalies);
        problems = List.copyOf(problems);
    }

    /**
     * Reads and merges the trails (plain or gzip).
     *
     * @throws io.github.ephemeralcredentials.core.audit.AuditReadException when a file cannot be read at all
     */
    public static Inventory read(List<Path> files, InventoryOptions options) {
        AuditReader.Result read = AuditReader.read(files);
        return of(read.records(), read.problems(), options);
    }

    /** {@link #read(List, InventoryOptions)} with the defaults and no policy. */
    public static Inventory read(List<Path> files) {
        return read(files, InventoryOptions.defaults());
    }

    /** The inventory of {@code records}, which need not be sorted. */
    public static Inventory of(List<AuditRecord> records, List<String> problems, InventoryOptions options) {
        List<AuditRecord> sorted = records.stream().sorted(Comparator.comparing(AuditRecord::timestamp)).toList();
        Map<String, Tally> tallies = new TreeMap<>();
        Map<String, DenialTally> denials = new TreeMap<>();
        List<UnusualRef> unusual = new ArrayList<>();
        List<Flagged> flagged = new ArrayList<>();
        AnomalyDetector detector = new AnomalyDetector(options.thresholds());
        List<Pattern> usualRefs = options.usualRefs().stream().map(Inventory::glob).toList();
        for (AuditRecord r : sorted) {
            // A revocation names no profile where its host did not know it (the service revoking by token alone):
            // it is no use of a profile, so it gets no row of its own.
            if (r.profile() != null || r.outcome() != Outcome.REVOKED) {
                String name = r.profile() == null ? "(none)" : r.profile();
                tallies.computeIfAbsent(name, k -> new Tally()).add(r);
            }
            if (r.outcome() == Outcome.DENIED && r.subject() != null) {
                denials.computeIfAbsent(r.subject(), k -> new DenialTally()).add(r);
            }
            Set<String> signals = new LinkedHashSet<>(r.anomalies());
            detector.observe(r).forEach(s -> signals.add(s.name()));
            if (!signals.isEmpty()) {
                flagged.add(new Flagged(r.timestamp(), r.subject(), r.profile(), r.outcome(), List.copyOf(signals)));
            }
            if (r.outcome() == Outcome.ISSUED && sensitive(r.profile(), r.tags(), options)) {
                String ref = r.claims().get("ref");
                if (ref == null || usualRefs.stream().noneMatch(p -> p.matcher(ref).matches())) {
                    unusual.add(new UnusualRef(r.timestamp(), r.profile(), r.subject(), ref));
                }
            }
        }
        if (options.policy() != null) {
            options.policy().profiles().keySet().forEach(p -> tallies.computeIfAbsent(p, k -> new Tally()));
        }
        List<ProfileUsage> profiles = new ArrayList<>();
        List<ProfileUsage> unused = new ArrayList<>();
        Instant horizon = options.now().minus(options.unusedAfter());
        tallies.forEach((name, t) -> {
            ProfileUsage usage = t.usage(name, options);
            profiles.add(usage);
            if (options.policy() != null && usage.inPolicy()
                    && (usage.lastIssued() == null || usage.lastIssued().isBefore(horizon))) {
                unused.add(usage);
            }
        });
        List<SubjectDenials> repeated = new ArrayList<>();
        denials.forEach((subject, d) -> {
            if (d.count >= options.deniedAtLeast()) {
                repeated.add(new SubjectDenials(subject, d.count, d.last, List.copyOf(d.profiles),
                        List.copyOf(d.reasons)));
            }
        });
        repeated.sort(Comparator.comparingInt(SubjectDenials::count).reversed());
        return new Inventory(records.size(), profiles, unused, repeated, unusual, flagged, problems);
    }

    private static boolean sensitive(String profile, List<String> recordTags, InventoryOptions options) {
        if (options.policy() != null && profile != null) {
            Profile p = options.policy().profiles().get(profile);
            if (p != null) {
                return p.sensitive() || p.tags().entrySet().stream().anyMatch(e ->
                        options.sensitiveTags().contains(e.getKey())
                                || options.sensitiveTags().contains(e.getKey() + "=" + e.getValue()));
            }
        }
        // Hosts write a profile's tags as key=value: either form may be named sensitive.
        return recordTags.stream().anyMatch(t -> options.sensitiveTags().contains(t)
                || options.sensitiveTags().contains(t.contains("=") ? t.substring(0, t.indexOf('=')) : t));
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static final class Tally {
        String owner;
        List<String> tags = List.of();
        final Set<String> subjects = new TreeSet<>();
        Instant first;
        Instant last;
        Instant lastIssued;
        int issued;
        int denied;
        int failed;
        int revoked;

        void add(AuditRecord r) {
            if (r.owner() != null) {
                owner = r.owner();
            }
            if (!r.tags().isEmpty()) {
                tags = r.tags();
            }
            if (r.subject() != null && r.outcome() != Outcome.REVOKED) {
                subjects.add(r.subject());
            }
            if (first == null) {
                first = r.timestamp();
            }
            last = r.timestamp();
            switch (r.outcome()) {
                case ISSUED -> {
                    issued++;
                    lastIssued = r.timestamp();
                }
                case DENIED -> denied++;
                case FAILED -> failed++;
                case REVOKED -> revoked++;
            }
        }

        ProfileUsage usage(String name, InventoryOptions options) {
            String ownerNow = owner;
            List<String> tagsNow = tags;
            boolean inPolicy = true;
            if (options.policy() != null) {
                Profile p = options.policy().profiles().get(name);
                inPolicy = p != null;
                if (p != null) {
                    ownerNow = p.owner() != null ? p.owner() : owner;
                    List<String> policyTags = new ArrayList<>();
                    new TreeMap<>(p.tags()).forEach((k, v) -> policyTags.add(k + "=" + v));
                    tagsNow = policyTags.isEmpty() ? tags : policyTags;
                }
            }
            return new ProfileUsage(name, ownerNow, tagsNow, sensitive(name, tagsNow, options), inPolicy,
                    List.copyOf(subjects), first, last, lastIssued, issued, denied, failed, revoked);
        }
    }

    private static final class DenialTally {
        int count;
        Instant last;
        final Set<String> profiles = new TreeSet<>();
        final Set<String> reasons = new TreeSet<>();

        void add(AuditRecord r) {
            count++;
            last = r.timestamp();
            if (r.profile() != null) {
                profiles.add(r.profile());
            }
            if (r.reason() != null) {
                reasons.add(r.reason());
            }
        }
    }
}
