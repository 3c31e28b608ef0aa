package io.github.ephemeralcredentials.service.config;

import io.github.ephemeralcredentials.core.audit.anomaly.Thresholds;
import io.github.ephemeralcredentials.core.oidc.IssuerUrls;
import io.github.ephemeralcredentials.core.oidc.KnownIssuers;
import io.github.ephemeralcredentials.core.oidc.SigningAlgorithm;
import io.github.ephemeralcredentials.core.policy.Durations;
import io.github.ephemeralcredentials.core.policy.PolicyException;
import io.github.ephemeralcredentials.core.policy.PolicyProblem;
import io.github.ephemeralcredentials.core.policy.PolicyProblem.Code;
import io.github.ephemeralcredentials.core.policy.SourcePosition;
import io.github.ephemeralcredentials.core.provider.Suggestions;
import io.github.ephemeralcredentials.service.NativeCrypto;
import io.github.ephemeralcredentials.service.config.ServiceConfig.IntrospectionClient;
import io.github.ephemeralcredentials.service.config.ServiceConfig.Limits;
import io.github.ephemeralcredentials.service.config.ServiceConfig.SecretSource;
import io.github.ephemeralcredentials.service.config.ServiceConfig.Tls;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads {@code service.yaml}, reporting every problem at once as {@code file:line:column: message}, the form
 * {@code policy validate} uses. Paths in the file are relative to the file.
 */
public final class ServiceConfigReader {

    static final int MAX_BYTES = 256 * 1024;
    private static final Set<String> KEYS = Set.of("listen", "url", "tls", "trust", "policy", "signing-keys",
            "signing-algorithm", "secrets", "store", "limits", "introspection", "anomalies", "crypto");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):([0-9]{1,5})");

    private final String name;
    private final Path directory;
    private final List<PolicyProblem> problems = new ArrayList<>();

    private ServiceConfigReader(Path file) {
        this.name = file.toString();
        Path parent = file.toAbsolutePath().getParent();
        this.directory = parent == null ? Path.of("") : parent;
    }

    /** @throws PolicyException with every problem found, each with its position */
    public static ServiceConfig read(Path file) {
        return new ServiceConfigReader(file).parse(text(file));
    }

    /** For tests and tools: {@code text} as if read from {@code file} (paths resolve beside it). */
    public static ServiceConfig parse(String text, Path file) {
        return new ServiceConfigReader(file).parse(text);
    }

    private static String text(Path file) {
        SourcePosition start = new SourcePosition(file.toString(), 1, 1);
        try {
            if (!Files.isRegularFile(file)) {
                throw problem(Code.UNREADABLE, start, "no such file (or not a regular file); give the path of the "
                        + "service's configuration");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw problem(Code.TOO_LARGE, start, "the configuration is larger than " + MAX_BYTES + " bytes");
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw problem(Code.SYNTAX, start, "the configuration is not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            throw problem(Code.UNREADABLE, start, "cannot read the configuration (" + e.getClass().getSimpleName()
                    + "); check the path and its permissions");
        }
    }

    private static PolicyException problem(Code code, SourcePosition at, String message) {
        return new PolicyException(new PolicyProblem(code, at, message));
    }

    private ServiceConfig parse(String text) {
        SourcePosition start = new SourcePosition(name, 1, 1);
        if (text.length() > MAX_BYTES) {
            throw problem(Code.TOO_LARGE, start, "the configuration is larger than " + MAX_BYTES + " characters");
        }
        LoadSettings settings = LoadSettings.builder().setLabel(name).setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false).setAllowRecursiveKeys(false).setMaxAliasesForCollections(10)
                .setCodePointLimit(MAX_BYTES).setUseMarks(true).build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            throw problem(Code.SYNTAX, mark == null ? start : new SourcePosition(name, mark.getLine() + 1,
                    mark.getColumn() + 1), "not valid YAML: " + e.getProblem());
        } catch (RuntimeException e) {
            throw problem(Code.TOO_COMPLEX, start, "the configuration cannot be read as YAML: "
                    + e.getClass().getSimpleName());
        }
        if (root.isEmpty() || !(root.get() instanceof MappingNode map)) {
            throw problem(Code.EMPTY, start, "the configuration must be a mapping with at least 'url' and 'policy'");
        }
        Map<String, NodeTuple> keys = keys(map, KEYS, "the configuration");
        String listen = string(keys, "listen", "127.0.0.1:8080");
        String host = "127.0.0.1";
        int port = 8080;
        var m = LISTEN.matcher(listen);
        if (m.matches() && Integer.parseInt(m.group(2)) <= 65535) {
            host = m.group(1).replace("[", "").replace("]", "");
            port = Integer.parseInt(m.group(2));
        } else {
            add(Code.INVALID_VALUE, valueAt(keys, "listen", map), "'listen' is '" + listen + "'; write HOST:PORT, "
                    + "e.g. 127.0.0.1:8080 or 0.0.0.0:8443");
        }
        String url = issuer(keys, "url", map, true);
        Tls tls = tls(keys);
        if (tls == null && !loopback(host)) {
            add(Code.MISSING_KEY, position(map), "the service listens on " + host + " without 'tls': CI tokens and "
                    + "credentials would cross the network in clear; add tls: {certificate: FILE, key: FILE}, or "
                    + "listen on 127.0.0.1 behind a proxy that terminates TLS");
        }
        List<String> trusted = trust(keys, map);
        Path policy = path(keys, "policy", map, true);
        Path signingKeys = path(keys, "signing-keys", map, false);
        String algorithm = string(keys, "signing-algorithm", "ES256");
        SigningAlgorithm signingAlgorithm = switch (algorithm) {
            case "ES256" -> SigningAlgorithm.ES256;
            case "EdDSA", "Ed25519" -> SigningAlgorithm.EdDSA;
            default -> {
                add(Code.INVALID_VALUE, valueAt(keys, "signing-algorithm", map), "'signing-algorithm' is '" + algorithm
                        + "'; write ES256 (the default) or EdDSA");
                yield SigningAlgorithm.ES256;
            }
        };
        Map<String, SecretSource> secrets = secrets(keys);
        String store = string(keys, "store", "memory");
        if (!store.equals("memory") && !store.startsWith("redis://") && !store.startsWith("rediss://")) {
            add(Code.INVALID_VALUE, valueAt(keys, "store", map), "'store' is '" + store + "'; write memory (one "
                    + "replica) or redis://HOST:PORT (several replicas)");
        }
        Limits limits = limits(keys);
        Map<String, IntrospectionClient> introspection = introspection(keys, secrets.keySet());
        Thresholds anomalies = anomalies(keys);
        String cryptoValue = string(keys, "crypto", "auto");
        NativeCrypto.Mode crypto = java.util.Arrays.stream(NativeCrypto.Mode.values())
                .filter(mode -> mode.configValue().equals(cryptoValue)).findFirst().orElse(null);
        if (crypto == null) {
            add(Code.INVALID_VALUE, valueAt(keys, "crypto", map), "'crypto' is '" + cryptoValue + "'; write auto (AWS-LC "
                    + "when it loads, the default), native (AWS-LC or refuse to start) or jdk");
            crypto = NativeCrypto.Mode.AUTO;
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return new ServiceConfig(host, port, url, tls, trusted, policy, signingKeys, signingAlgorithm, secrets, store,
                limits, introspection, anomalies, crypto);
    }

    private static boolean loopback(String host) {
        return host.equals("127.0.0.1") || host.equals("::1") || host.equalsIgnoreCase("localhost");
    }

    private Map<String, NodeTuple> keys(MappingNode map, Set<String> allowed, String what) {
        Map<String, NodeTuple> keys = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                add(Code.WRONG_TYPE, position(tuple.getKeyNode()), "a key of " + what + " is not a plain name");
                continue;
            }
            if (!allowed.contains(key.getValue())) {
                add(Code.UNKNOWN_KEY, position(key), "unknown key '" + key.getValue() + "' in " + what
                        + Suggestions.hint(key.getValue(), allowed) + "; it takes " + String.join(", ",
                        new java.util.TreeSet<>(allowed)));
                continue;
            }
            keys.put(key.getValue(), tuple);
        }
        return keys;
    }

    private String string(Map<String, NodeTuple> keys, String key, String fallback) {
        NodeTuple tuple = keys.get(key);
        if (tuple == null) {
            return fallback;
        }
        if (tuple.getValueNode() instanceof ScalarNode s && !s.getValue().isBlank()) {
            return s.getValue().strip();
        }
        add(Code.WRONG_TYPE, position(tuple.getValueNode()), "'" + key + "' must be a single non-empty value");
        return fallback;
    }

    private String issuer(Map<String, NodeTuple> keys, String key, Node parent, boolean required) {
        if (!keys.containsKey(key)) {
            if (required) {
                add(Code.MISSING_KEY, position(parent), "missing '" + key + "': the service's own URL, e.g. "
                        + "https://exchange.example.com (CI tokens must carry it as their aud)");
            }
            return null;
        }
        String value = string(keys, key, null);
        if (value == null) {
            return null;
        }
        try {
            return IssuerUrls.validate(value);
        } catch (IllegalArgumentException e) {
            add(Code.INVALID_VALUE, valueAt(keys, key, parent), "'" + key + "': " + e.getMessage());
            return null;
        }
    }

    private Path path(Map<String, NodeTuple> keys, String key, Node parent, boolean required) {
        if (!keys.containsKey(key)) {
            if (required) {
                add(Code.MISSING_KEY, position(parent), "missing '" + key + "': the path of the trust policy file, "
                        + "relative to this file");
            }
            return null;
        }
        String value = string(keys, key, null);
        if (value == null) {
            return null;
        }
        try {
            Path path = directory.resolve(value).normalize();
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                add(Code.INVALID_VALUE, valueAt(keys, key, parent), "'" + key + "' names " + path + ", which is not a "
                        + "regular file (missing, a directory or a link); give the file itself");
            }
            return path;
        } catch (InvalidPathException e) {
            add(Code.INVALID_VALUE, valueAt(keys, key, parent), "'" + key + "' is not a path on this system");
            return null;
        }
    }

    private Tls tls(Map<String, NodeTuple> keys) {
        NodeTuple tuple = keys.get("tls");
        if (tuple == null) {
            return null;
        }
        if (!(tuple.getValueNode() instanceof MappingNode map)) {
            add(Code.WRONG_TYPE, position(tuple.getValueNode()), "'tls' must be a mapping: {certificate: FILE, key: FILE}");
            return null;
        }
        Map<String, NodeTuple> inner = keys(map, Set.of("certificate", "key"), "'tls'");
        Path certificate = path(inner, "certificate", map, true);
        Path key = path(inner, "key", map, true);
        return certificate == null || key == null ? null : new Tls(certificate, key);
    }

    private List<String> trust(Map<String, NodeTuple> keys, Node parent) {
        NodeTuple tuple = keys.get("trust");
        if (tuple == null) {
            add(Code.MISSING_KEY, position(parent), "missing 'trust': the CI issuers whose tokens are accepted, e.g. "
                    + "[" + KnownIssuers.GITHUB_ACTIONS + "]");
            return List.of();
        }
        if (!(tuple.getValueNode() instanceof SequenceNode list) || list.getValue().isEmpty()) {
            add(Code.WRONG_TYPE, position(tuple.getValueNode()), "'trust' must be a non-empty list of issuer URLs "
                    + "(or {github-enterprise: HOST} entries)");
            return List.of();
        }
        List<String> issuers = new ArrayList<>();
        for (Node item : list.getValue()) {
            try {
                if (item instanceof ScalarNode s) {
                    issuers.add(IssuerUrls.validate(s.getValue()));
                } else if (item instanceof MappingNode m && m.getValue().size() == 1
                        && m.getValue().get(0).getKeyNode() instanceof ScalarNode k && k.getValue().equals("github-enterprise")
                        && m.getValue().get(0).getValueNode() instanceof ScalarNode host) {
                    issuers.add(KnownIssuers.githubEnterpriseServer(host.getValue().strip()));
                } else {
                    add(Code.WRONG_TYPE, position(item), "a 'trust' entry is an issuer URL or {github-enterprise: HOST}");
                }
            } catch (IllegalArgumentException e) {
                add(Code.INVALID_VALUE, position(item), "'trust': " + e.getMessage());
            }
        }
        return issuers;
    }

    private Map<String, SecretSource> secrets(Map<String, NodeTuple> keys) {
        NodeTuple tuple = keys.get("secrets");
        Map<String, SecretSource> out = new LinkedHashMap<>();
        if (tuple == null) {
            return out;
        }
        if (!(tuple.getValueNode() instanceof MappingNode map)) {
            add(Code.WRONG_TYPE, position(tuple.getValueNode()), "'secrets' maps names to {file: PATH} or {env: NAME}");
            return out;
        }
        for (NodeTuple entry : map.getValue()) {
            String secret = entry.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
            if (!ENV_NAME.matcher(secret).matches()) {
                add(Code.INVALID_VALUE, position(entry.getKeyNode()), "a secret's name is what a profile's *-env "
                        + "parameter says: letters, digits and _ , not starting with a digit");
                continue;
            }
            if (!(entry.getValueNode() instanceof MappingNode source)) {
                add(Code.WRONG_TYPE, position(entry.getValueNode()), "secret '" + secret + "' must be {file: PATH} "
                        + "or {env: NAME}");
                continue;
            }
            Map<String, NodeTuple> inner = keys(source, Set.of("file", "env"), "secret '" + secret + "'");
            if (inner.size() != 1) {
                add(Code.INVALID_VALUE, position(source), "secret '" + secret + "' takes exactly one of file or env");
            } else if (inner.containsKey("file")) {
                Path file = path(inner, "file", source, true);
                if (file != null) {
                    out.put(secret, new SecretSource(file, null));
                }
            } else {
                String variable = string(inner, "env", "");
                if (!ENV_NAME.matcher(variable).matches()) {
                    add(Code.INVALID_VALUE, valueAt(inner, "env", source), "secret '" + secret + "': 'env' must name "
                            + "an environment variable of the service");
                } else {
                    out.put(secret, new SecretSource(null, variable));
                }
            }
        }
        return out;
    }

    private Map<String, IntrospectionClient> introspection(Map<String, NodeTuple> keys, Set<String> secretNames) {
        NodeTuple tuple = keys.get("introspection");
        Map<String, IntrospectionClient> out = new LinkedHashMap<>();
        if (tuple == null) {
            return out;
        }
        if (!(tuple.getValueNode() instanceof MappingNode map)) {
            add(Code.WRONG_TYPE, position(tuple.getValueNode()), "'introspection' maps client ids to "
                    + "{secret: NAME, audience: URL}");
            return out;
        }
        for (NodeTuple entry : map.getValue()) {
            String client = entry.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
            if (!CLIENT_ID.matcher(client).matches()) {
                add(Code.INVALID_VALUE, position(entry.getKeyNode()), "an introspection client id is letters, digits, "
                        + "'.', '_' and '-' (at most 64), as the relying party sends it in HTTP Basic");
                continue;
            }
            if (!(entry.getValueNode() instanceof MappingNode clientNode)) {
                add(Code.WRONG_TYPE, position(entry.getValueNode()), "introspection client '" + client + "' must be "
                        + "{secret: NAME, audience: URL}");
                continue;
            }
            Map<String, NodeTuple> inner = keys(clientNode, Set.of("secret", "audience"), "introspection client '"
                    + client + "'");
            String secret = string(inner, "secret", null);
            String audience = string(inner, "audience", null);
            if (secret == null || !secretNames.contains(secret)) {
                add(secret == null ? Code.MISSING_KEY : Code.INVALID_VALUE, valueAt(inner, "secret", clientNode),
                        "introspection client '" + client + "': 'secret' must name an entry of 'secrets' (its client "
                        + "secret, from a file or an environment variable)");
            } else if (audience == null || audience.isBlank()) {
                add(Code.MISSING_KEY, position(clientNode), "introspection client '" + client + "' needs 'audience': the "
                        + "aud of the JWTs it may ask about");
            } else {
                out.put(client, new IntrospectionClient(secret, audience));
            }
        }
        return out;
    }

    private Limits limits(Map<String, NodeTuple> keys) {
        NodeTuple tuple = keys.get("limits");
        if (tuple == null) {
            return Limits.DEFAULT;
        }
        if (!(tuple.getValueNode() instanceof MappingNode map)) {
            add(Code.WRONG_TYPE, position(tuple.getValueNode()), "'limits' must be a mapping");
            return Limits.DEFAULT;
        }
        Map<String, NodeTuple> inner = keys(map, Set.of("per-subject-per-minute", "per-profile-per-minute",
                "max-body-bytes"), "'limits'");
        return new Limits(count(inner, "per-subject-per-minute", Limits.DEFAULT.perSubjectPerMinute(), 1_000_000),
                count(inner, "per-profile-per-minute", Limits.DEFAULT.perProfilePerMinute(), 10_000_000),
                count(inner, "max-body-bytes", Limits.DEFAULT.maxBodyBytes(), 1024 * 1024));
    }

    /** The anomaly detector's thresholds; each key optional, defaulting to {@link Thresholds#DEFAULT}. */
    private Thresholds anomalies(Map<String, NodeTuple> keys) {
        NodeTuple tuple = keys.get("anomalies");
        if (tuple == null) {
            return Thresholds.DEFAULT;
        }
        if (!(tuple.getValueNode() instanceof MappingNode map)) {
            add(Code.WRONG_TYPE, position(tuple.getValueNode()), "'anomalies' must be a mapping");
            return Thresholds.DEFAULT;
        }
        Map<String, NodeTuple> inner = keys(map, Set.of("denial-burst", "denial-window", "rate-window", "rate-factor",
                "rate-minimum", "rate-history", "max-subjects", "max-profiles", "forget-after"), "'anomalies'");
        Thresholds d = Thresholds.DEFAULT;
        double factor = d.rateFactor();
        String factorText = string(inner, "rate-factor", null);
        if (factorText != null) {
            try {
                factor = Double.parseDouble(factorText);
            } catch (NumberFormatException e) {
                factor = Double.NaN;
            }
            if (!(factor > 1.0 && factor <= 1000)) {
                add(Code.INVALID_VALUE, position(inner.get("rate-factor").getValueNode()), "'rate-factor' must be a "
                        + "number above 1 and at most 1000, e.g. 5");
                factor = d.rateFactor();
            }
        }
        return new Thresholds(count(inner, "denial-burst", d.denialBurst(), 100_000),
                duration(inner, "denial-window", d.denialWindow()), duration(inner, "rate-window", d.rateWindow()),
                factor, count(inner, "rate-minimum", d.rateMinimum(), 10_000_000),
                count(inner, "rate-history", d.rateHistory(), 10_000),
                count(inner, "max-subjects", d.maxSubjects(), 1_000_000),
                count(inner, "max-profiles", d.maxProfiles(), 1_000_000), d.maxValuesPerKey(),
                duration(inner, "forget-after", d.forgetAfter()));
    }

    private Duration duration(Map<String, NodeTuple> keys, String key, Duration fallback) {
        String text = string(keys, key, null);
        if (text == null) {
            return fallback;
        }
        Optional<Duration> value = Durations.parse(text);
        if (value.isPresent() && !value.get().isNegative() && !value.get().isZero()
                && value.get().compareTo(Duration.ofDays(3660)) <= 0) {
            return value.get();
        }
        add(Code.INVALID_VALUE, position(keys.get(key).getValueNode()), "'" + key + "' is '" + text + "'; write a "
                + "positive duration such as 10m, 1h or P30D");
        return fallback;
    }

    private int count(Map<String, NodeTuple> keys, String key, int fallback, int max) {
        String text = string(keys, key, null);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        add(Code.INVALID_VALUE, position(keys.get(key).getValueNode()), "'" + key + "' must be a whole number from 1 "
                + "to " + max);
        return fallback;
    }

    private SourcePosition valueAt(Map<String, NodeTuple> keys, String key, Node fallback) {
        NodeTuple tuple = keys.get(key);
        return position(tuple == null ? fallback : tuple.getValueNode());
    }

    private SourcePosition position(Node node) {
        return node.getStartMark().map(mark -> new SourcePosition(name, mark.getLine() + 1, mark.getColumn() + 1))
                .orElse(new SourcePosition(name, 1, 1));
    }

    private void add(Code code, SourcePosition at, String message) {
        problems.add(new PolicyProblem(code, at, message));
    }
}
