package io.github.ephemeralcredentials.core.audit.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** The inventory as one JSON document for machines; field names are stable, instants ISO-8601, absent values null. */
public final class InventoryJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private InventoryJson() {
    }

    public static String render(Inventory inventory) {
        ObjectNode root = JSON.createObjectNode();
        root.put("records", inventory.records());
        ArrayNode profiles = root.putArray("profiles");
        inventory.profiles().forEach(p -> profile(profiles.addObject(), p));
        ArrayNode unused = root.putArray("unused");
        inventory.unused().forEach(p -> unused.add(p.profile()));
        ArrayNode denied = root.putArray("repeatedlyDenied");
        inventory.repeatedlyDenied().forEach(d -> {
            ObjectNode n = denied.addObject();
            n.put("subject", d.subject());
            n.put("count", d.count());
            n.put("lastDenied", text(d.lastDenied()));
            strings(n.putArray("profiles"), d.profiles());
            strings(n.putArray("reasons"), d.reasons());
        });
        ArrayNode unusual = root.putArray("unusualRefs");
        inventory.unusualRefs().forEach(u -> {
            ObjectNode n = unusual.addObject();
            n.put("timestamp", text(u.timestamp()));
            n.put("profile", u.profile());
            n.put("subject", u.subject());
            n.put("ref", u.ref());
        });
        ArrayNode anomalies = root.putArray("anomalies");
        inventory.anomalies().forEach(f -> {
            ObjectNode n = anomalies.addObject();
            n.put("timestamp", text(f.timestamp()));
            n.put("subject", f.subject());
            n.put("profile", f.profile());
            n.put("outcome", f.outcome().name());
            strings(n.putArray("signals"), f.signals());
        });
        strings(root.putArray("problems"), inventory.problems());
        return root.toPrettyString() + "\n";
    }

    private static void profile(ObjectNode n, ProfileUsage p) {
        n.put("profile", p.profile());
        n.put("owner", p.owner());
        strings(n.putArray("tags"), p.tags());
        n.put("sensitive", p.sensitive());
        n.put("inPolicy", p.inPolicy());
        strings(n.putArray("subjects"), p.subjects());
        n.put("firstUse", text(p.firstUse()));
        n.put("lastUse", text(p.lastUse()));
        n.put("lastIssued", text(p.lastIssued()));
        n.put("issued", p.issued());
        n.put("denied", p.denied());
        n.put("failed", p.failed());
        n.put("revoked", p.revoked());
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
