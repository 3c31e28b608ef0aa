package io.github.ephemeralcredentials.core.oidc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The issuer's signing keys: one active key that signs, and retired keys that stay in the published JWKS for an
 * overlap period, so that relying parties holding a cached JWKS, and tokens signed just before a rotation, keep
 * verifying. Immutable: {@link #rotate} returns a new ring, so a host can persist it atomically.
 */
public record KeyRing(SigningKey active, List<SigningKey> retired) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public KeyRing {
        Objects.requireNonNull(active, "active");
        retired = List.copyOf(retired);
        for (SigningKey key : retired) {
            if (key.publishUntil() == null) {
                throw new IllegalArgumentException("retired key '" + key.kid() + "' has no publishUntil");
            }
        }
    }

    public static KeyRing generate(SigningAlgorithm algorithm, Instant now) {
        return new KeyRing(new SigningKey(algorithm.generate(), now, null), List.of());
    }

    /**
     * A new active key; the current one keeps being published until {@code now + overlap}, and retired keys whose
     * overlap ended are dropped.
     */
    public KeyRing rotate(SigningAlgorithm algorithm, Instant now, Duration overlap) {
        List<SigningKey> keep = new ArrayList<>();
        keep.add(active.retire(now.plus(overlap)));
        retired.stream().filter(k -> k.publishUntil().isAfter(now)).forEach(keep::add);
        return new KeyRing(new SigningKey(algorithm.generate(), now, null), keep);
    }

    /** Whether the active key is older than {@code period}. */
    public boolean dueForRotation(Instant now, Duration period) {
        return !active.createdAt().plus(period).isAfter(now);
    }

    /** Public keys a relying party should accept now: the active key and retired keys within their overlap. */
    public JWKSet publicJwks(Instant now) {
        List<JWK> keys = new ArrayList<>();
        keys.add(active.key().toPublicJWK());
        retired.stream().filter(k -> k.publishUntil().isAfter(now)).map(k -> k.key().toPublicJWK()).forEach(keys::add);
        return new JWKSet(keys);
    }

    /** Serialises the ring including PRIVATE keys, for a host to store encrypted. */
    public String toSecretJson() {
        ObjectNode root = JSON.createObjectNode();
        root.set("active", node(active));
        ArrayNode list = root.putArray("retired");
        retired.forEach(k -> list.add(node(k)));
        return root.toString();
    }

    public static KeyRing fromSecretJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            List<SigningKey> retired = new ArrayList<>();
            root.path("retired").forEach(n -> retired.add(key(n)));
            return new KeyRing(key(root.get("active")), retired);
        } catch (JsonProcessingException | RuntimeException e) {
            // No cause and no excerpt: parser messages can quote the input, and the input holds private keys.
            throw new IllegalArgumentException("stored signing keys are not a valid key ring; generate new keys");
        }
    }

    private static ObjectNode node(SigningKey key) {
        ObjectNode n = JSON.createObjectNode();
        try {
            n.set("jwk", JSON.readTree(key.key().toJSONString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JWK rendered invalid JSON", e);
        }
        n.put("createdAt", key.createdAt().toString());
        if (key.publishUntil() != null) {
            n.put("publishUntil", key.publishUntil().toString());
        }
        return n;
    }

    private static SigningKey key(JsonNode n) {
        try {
            JWK jwk = JWK.parse(n.get("jwk").toString());
            Instant publishUntil = n.hasNonNull("publishUntil") ? Instant.parse(n.get("publishUntil").asText()) : null;
            return new SigningKey(jwk, Instant.parse(n.get("createdAt").asText()), publishUntil);
        } catch (ParseException e) {
            throw new IllegalArgumentException("a stored signing key is not a JWK");
        }
    }

    @Override
    public String toString() {
        return "KeyRing[active=" + active + ", retired=" + retired + "]";
    }
}
