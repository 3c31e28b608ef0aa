package io.github.ephemeralcredentials.service.state;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The state several replicas share, in one Redis (standalone; a managed Redis with a single endpoint counts).
 *
 * <p>Replay: {@code SET <prefix>replay:<digest> 1 NX PX <ttl>} — atomic in Redis, so of two replicas presenting the
 * same token at once exactly one is told "first use". Rate limit: {@link SlidingWindow}'s rule in one Lua script per
 * request, which reads the bucket's counts, decides, counts and sets the expiry in one step (a replica dying between
 * commands can then never leave a count that blocks its bucket forever). The windows are timed by Redis ({@code TIME}),
 * so replicas with skewed clocks still count in the same windows.
 *
 * <p>Keys and buckets are sent as their SHA-256 (see {@link Keys#digest}): what Redis holds, logs or shows in
 * {@code MONITOR} carries no token material.
 *
 * <p>Every call is bounded: borrowing a pooled connection, connecting and each reply wait at most the timeout, and
 * Jedis does not retry. Against a hung Redis a call fails after one timeout, or about two when the pool replaces the
 * broken connection (commons-pool opens the replacement on the caller's thread, and its handshake waits too). Any
 * failure is a {@link StateUnavailableException} naming the store's {@code host:port}, never a key (the service then
 * refuses the exchange). A pooled connection broken by a Redis restart fails its next call once and is dropped; idle
 * connections are also checked every 30 s by the pool's evictor (a daemon thread of commons-pool).
 *
 * <p>The password (URI user-info) goes to Jedis only; no message and no {@link #toString()} shows it.
 */
public final class RedisState implements SharedState {

    /** What every key this store writes starts with, unless the constructor says otherwise. */
    public static final String DEFAULT_PREFIX = "ec:";

    /**
     * The bound on connecting and on each reply, unless the constructor says otherwise: Redis answers these commands
     * in well under a millisecond, so waiting longer only holds the request that will be refused anyway.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(250);

    /** How to write the URI; every message about a bad one ends with it. */
    static final String URI_FORM = "redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] (rediss:// for TLS; port 6379 "
            + "and database 0 unless given)";

    private static final int DEFAULT_PORT = 6379;
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    // Enough for the request threads of one replica; when all are busy a caller waits at most the timeout for one.
    private static final int MAX_CONNECTIONS = 32;
    /**
     * {@link SlidingWindow}'s rule, atomically and timed by Redis's own clock (so replicas with skewed clocks count in
     * the same windows): KEYS[1] is the bucket's hash of its latest window's number {@code i}, that window's count
     * {@code c} and the one before's {@code p}; ARGV the window (ms) and the limit. Answers 1 for admitted and counted,
     * 0 for refused.
     */
    private static final String RATE_SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local window = tonumber(ARGV[1])
            local index = math.floor(now / window)
            local stored = redis.call('HMGET', KEYS[1], 'i', 'c', 'p')
            local current, previous = 0, 0
            if tonumber(stored[1]) == index then
              current, previous = tonumber(stored[2]), tonumber(stored[3])
            elseif tonumber(stored[1]) == index - 1 then
              previous = tonumber(stored[2])
            end
            -- Whole numbers, exact in Lua's doubles below 2^53: a one-minute window and limits up to a billion.
            if previous * (window - (now - index * window)) + (current + 1) * window > tonumber(ARGV[2]) * window then
              return 0
            end
            redis.call('HSET', KEYS[1], 'i', index, 'c', current + 1, 'p', previous)
            redis.call('PEXPIREAT', KEYS[1], (index + 2) * window)
            return 1
            """;


    private final String endpoint;
    private final String location;
    private final String prefix;
    private final Duration timeout;
    private final String password;
    private final RedisClient client;

    /** With {@link #DEFAULT_PREFIX} and {@link #DEFAULT_TIMEOUT}. */
    public RedisState(URI uri) {
        this(uri, DEFAULT_PREFIX, DEFAULT_TIMEOUT);
    }

    /**
     * Does not connect yet: a Redis that is down at start makes {@link #healthy()} false and calls fail, and the first
     * call after it comes up succeeds.
     *
     * @param uri {@code redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]}, or {@code rediss://…} for TLS (the server's
     *     certificate and host name are checked against the JVM's trust store)
     * @param prefix what every key starts with, so that several services (or tests) can share one Redis
     * @param timeout the bound on borrowing a connection, connecting, and each reply (1 ms to 60 s)
     * @throws IllegalArgumentException when the URI is not of that form; the message says what to write and never
     *     shows the password
     */
    public RedisState(URI uri, String prefix, Duration timeout) {
        Objects.requireNonNull(uri, "uri");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("the Redis timeout must be between 1 ms and 60 s, got " + timeout);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean tls = scheme.equals("rediss");
        if (!tls && !scheme.equals("redis")) {
            throw badUri("the scheme must be redis or rediss", redacted(uri));
        }
        if (uri.getHost() == null) {
            throw badUri("it names no host (or not one Java can parse)", redacted(uri));
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw badUri("it has a query or fragment, which this store does not read", redacted(uri));
        }
        int port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
        int database = database(uri);
        this.endpoint = host(uri) + ":" + port;
        this.location = scheme + "://" + endpoint + "/" + database;

        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) timeout.toMillis())
                .socketTimeoutMillis((int) timeout.toMillis())
                .database(database);
        String userInfo = uri.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                throw badUri("its user-info has no ':' before the password (write :PASSWORD@ for the default user)",
                        redacted(uri));
            }
            String user = userInfo.substring(0, colon);
            this.password = userInfo.substring(colon + 1);
            if (!user.isEmpty()) {
                config.user(user);
            }
            config.password(password);
        } else {
            this.password = null;
        }
        if (tls) {
            // Jedis checks no host name on its own: without this, any certificate the JVM trusts would do.
            SSLParameters checkHostName = new SSLParameters();
            checkHostName.setEndpointIdentificationAlgorithm("HTTPS");
            config.ssl(true).sslParameters(checkHostName);
        }

        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(MAX_CONNECTIONS);
        pool.setMaxIdle(MAX_CONNECTIONS);
        pool.setMinIdle(0);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(timeout);
        this.client = RedisClient.builder()
                .hostAndPort(new HostAndPort(uri.getHost(), port))
                .clientConfig(config.build())
                .poolConfig(pool)
                .build();
    }

    @Override
    public boolean firstUse(String key, Duration ttl) {
        Objects.requireNonNull(key, "key");
        long ttlMillis = Keys.ttlMillis(ttl);
        String redisKey = prefix + "replay:" + Keys.digest(key);
        // SET … NX answers OK when it wrote the key and nothing (null) when the key was there.
        String reply = call(() -> client.set(redisKey, "1", SetParams.setParams().nx().px(ttlMillis)));
        return "OK".equals(reply);
    }

    @Override
    public boolean recorded(String key) {
        Objects.requireNonNull(key, "key");
        String redisKey = prefix + "replay:" + Keys.digest(key);
        return call(() -> client.exists(redisKey));
    }

    @Override
    public void keep(String key, String value, Duration ttl) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        long ttlMillis = Keys.ttlMillis(ttl);
        String redisKey = prefix + "kept:" + Keys.digest(key);
        call(() -> client.set(redisKey, value, SetParams.setParams().px(ttlMillis)));
    }

    /** GETDEL (Redis 6.2+): one command, so two replicas cannot both take the value. */
    @Override
    public java.util.Optional<String> take(String key) {
        Objects.requireNonNull(key, "key");
        String redisKey = prefix + "kept:" + Keys.digest(key);
        return java.util.Optional.ofNullable(call(() -> client.getDel(redisKey)));
    }

    @Override
    public boolean withinLimit(String bucket, int limit, Duration window) {
        Objects.requireNonNull(bucket, "bucket");
        Keys.checkLimit(limit);
        long windowMillis = Keys.windowMillis(window);
        String redisKey = prefix + "rate:" + Keys.digest(bucket);
        Object admitted = call(() -> client.eval(RATE_SCRIPT, List.of(redisKey),
                List.of(Long.toString(windowMillis), Integer.toString(limit))));
        if (!(admitted instanceof Long answer) || (answer != 0 && answer != 1)) {
            throw new StateUnavailableException("Redis at " + endpoint + " answered the rate-limit script with "
                    + (admitted == null ? "nothing" : admitted) + " instead of 0 or 1: check that " + endpoint
                    + " is a Redis (7.x) and not a proxy that rewrites scripts", null);
        }
        return answer == 1;
    }

    /** Every call is a round trip to Redis. */
    @Override
    public boolean inProcess() {
        return false;
    }

    /** PING, bounded by the timeout. */
    @Override
    public boolean healthy() {
        try {
            return "PONG".equals(client.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (RuntimeException e) {
            // Closing is best effort: the connections die with the process anyway.
        }
    }

    /** The store's location, prefix and timeout; never the password. */
    @Override
    public String toString() {
        return "RedisState[" + location + ", prefix " + prefix + ", timeout " + timeout.toMillis() + " ms]";
    }

    private <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw new StateUnavailableException("Redis at " + endpoint + " did not answer (" + reason(e)
                    + "), so this replica refuses exchanges until it does: check that Redis runs and that this "
                    + "replica reaches " + endpoint + " within " + timeout.toMillis() + " ms", e);
        }
    }

    /**
     * The innermost cause, which says what went wrong ("Connection refused", "Read timed out", "WRONGPASS …"). Keys
     * never reach Jedis undigested, so none can be in it; the password is masked should a server ever echo it.
     */
    private String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        if (password != null && !password.isEmpty()) {
            text = text.replace(password, "***");
        }
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private static int database(URI uri) {
        String path = uri.getPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return 0;
        }
        String digits = path.substring(1);
        if (digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw badUri("the path must be a database number such as /0", redacted(uri));
        }
        return Integer.parseInt(digits);
    }

    /** The host as it goes in host:port: an IPv6 address in brackets. */
    private static String host(URI uri) {
        String host = uri.getHost();
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The URI without its user-info (which may hold the password), query or fragment. */
    private static String redacted(URI uri) {
        String shown = (uri.getScheme() == null ? "" : uri.getScheme() + "://")
                + (uri.getRawUserInfo() == null ? "" : "***@")
                + (uri.getHost() == null ? "(no host)" : host(uri))
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
        return shown.length() > 120 ? shown.substring(0, 120) + "…" : shown;
    }

    private static IllegalArgumentException badUri(String problem, String shown) {
        return new IllegalArgumentException("Redis URI " + shown + ": " + problem + "; write " + URI_FORM);
    }
}
