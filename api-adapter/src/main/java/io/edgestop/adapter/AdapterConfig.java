package io.edgestop.adapter;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.edgestop.adapter.tls.TlsSettings;
import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.ops.QueryToken;
import io.edgestop.topics.Topics;

/**
 * Immutable adapter configuration. {@link #fromMap} keys (all optional but {@code bootstrap.servers}):
 * <ul>
 * <li>{@code bootstrap.servers} - Kafka bootstrap servers</li>
 * <li>{@code topic.prefix} - topic prefix, default {@code edgestop.}</li>
 * <li>{@code http.host} - listen address, default {@code 127.0.0.1} (this machine only; {@code 0.0.0.0} for every interface)</li>
 * <li>{@code http.port} - listen port, default 0 (a random free port)</li>
 * <li>{@code instance.id} - this instance's reply address, default {@code adapter-<random>}; must be unique per running instance</li>
 * <li>{@code reply.timeout.ms} - how long a request waits for its decision, default 10000</li>
 * <li>{@code max.body.bytes} - largest accepted request body, default 65536</li>
 * <li>{@code timestamp.window.ms} - allowed clock difference of Timestamp / x-acs-date, default 900000 (15 min)</li>
 * <li>{@code access.key.rate.per.second} - requests a second one AccessKeyId may make on this instance, default 1000</li>
 * <li>{@code signature.v3.require.host} - V3 requests must sign {@code host} too, default false (aliyun-java-sdk-core's V3 does not sign it)</li>
 * <li>{@code credentials.file} - JSON credentials file (required by {@code edge-stop adapter})</li>
 * <li>{@code trusted.proxies} - comma-separated IPs or CIDRs whose X-Forwarded-For / X-Forwarded-Proto are believed; default none</li>
 * <li>{@code tls.*} - HTTPS on the listener instead of plain HTTP: see {@link TlsSettings}; default none (plain HTTP)</li>
 * <li>{@code shutdown.drain.ms} - how long close() keeps accepting and answering calls after readiness turns false, each
 *     answer with {@code Connection: close}, before it stops accepting; ends sooner once no connection is open; default 1000</li>
 * <li>{@code shutdown.timeout.ms} - how long close() then waits for in-flight requests, default reply.timeout.ms + 2000</li>
 * <li>{@code query.urls} - comma-separated base URLs of orchestrator job query endpoints (their {@code query.port}),
 *     for GetEdgeTranscodeJob and ListEdgeTranscodeJob; any instance answers (it forwards to the account's owner);
 *     tried in turn when one cannot be reached; default none (the two actions answer ServiceUnavailable)</li>
 * <li>{@code query.timeout.ms} - how long a job query may take, default 5000</li>
 * <li>{@code query.token.file} - the file whose first line is the orchestrators' job query token ({@link QueryToken});
 *     required with {@code query.urls}; {@code query.token} gives the token itself (embedded use)</li>
 * <li>{@code kafka.*} - client settings of the producer and the consumer ({@link KafkaClientSettings}), e.g. {@code kafka.security.protocol}</li>
 * </ul>
 */
public final class AdapterConfig {

    /** Outside dev an adapter is reachable only from its own machine unless {@code http.host} says otherwise. */
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final String ADMIN_HOST = "admin.host";
    public static final String ADMIN_PORT = "admin.port";

    private static final Map<String, String> DEFAULTS;

    static {
        // every key fromMap reads; null: no fixed default (required, optional or computed)
        Map<String, String> d = new LinkedHashMap<>();
        d.put("bootstrap.servers", null);
        d.put("topic.prefix", Topics.DEFAULT_PREFIX);
        d.put("http.host", DEFAULT_HTTP_HOST);
        d.put("http.port", "0");
        // /metrics (and /healthz, /readyz) on a port of their own, never on the API's: off (-1) when embedded;
        // `edge-stop adapter` serves it on 9467
        d.put(ADMIN_HOST, "0.0.0.0");
        d.put(ADMIN_PORT, "-1");
        d.put("instance.id", null);
        d.put("reply.timeout.ms", "10000");
        d.put("max.body.bytes", "65536");
        d.put("timestamp.window.ms", "900000");
        d.put("access.key.rate.per.second", "1000");
        d.put("signature.v3.require.host", "false");
        d.put("credentials.file", null);
        d.put("trusted.proxies", null);
        d.put("shutdown.drain.ms", "1000");
        d.put("shutdown.timeout.ms", null);
        d.put("query.urls", null);
        d.put("query.timeout.ms", "5000");
        d.put(QueryToken.FILE_SETTING, null);
        d.put(QueryToken.SETTING, null);
        TlsSettings.KEYS.forEach(k -> d.put(k, null));
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private final String bootstrapServers;
    private final String topicPrefix;
    private final String httpHost;
    private final int httpPort;
    private final String adminHost;
    private final int adminPort;
    private final String instanceId;
    private final Duration replyTimeout;
    private final int maxBodyBytes;
    private final Duration timestampWindow;
    private final int accessKeyRatePerSecond;
    private final boolean requireSignedHost;
    private final Path credentialsFile;
    private final List<String> trustedProxies;
    private final TlsSettings tls;
    private final Duration shutdownDrain;
    private final Duration shutdownTimeout;
    private final KafkaClientSettings kafka;
    private final List<URI> queryUrls;
    private final Duration queryTimeout;
    /** query.token / query.token.file as given: the file is read when the adapter starts. */
    private final Map<String, String> querySettings;
    private static final List<String> QUERY_TOKEN_KEYS = List.of(QueryToken.SETTING, QueryToken.FILE_SETTING);

    private AdapterConfig(Map<String, String> v) {
        this.bootstrapServers = v.get("bootstrap.servers");
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrap.servers is required");
        }
        this.topicPrefix = v.get("topic.prefix");
        this.httpHost = v.get("http.host");
        this.httpPort = intValue(v, "http.port", 0, 65535);
        this.adminHost = v.get(ADMIN_HOST);
        this.adminPort = intValue(v, ADMIN_PORT, -1, 65535);
        String id = v.get("instance.id");
        this.instanceId = id == null || id.isBlank() ? "adapter-" + UUID.randomUUID().toString().substring(0, 12) : id;
        this.replyTimeout = Duration.ofMillis(intValue(v, "reply.timeout.ms", 1, Integer.MAX_VALUE));
        this.maxBodyBytes = intValue(v, "max.body.bytes", 0, 64 * 1024 * 1024);
        this.timestampWindow = Duration.ofMillis(longValue(v, "timestamp.window.ms", 0));
        this.accessKeyRatePerSecond = intValue(v, "access.key.rate.per.second", 1, 1_000_000);
        this.requireSignedHost = booleanValue(v, "signature.v3.require.host");
        String cf = v.get("credentials.file");
        this.credentialsFile = cf == null || cf.isBlank() ? null : Path.of(cf);
        List<String> proxies = new ArrayList<>();
        for (String p : v.getOrDefault("trusted.proxies", "").split(",")) {
            if (!p.isBlank()) {
                proxies.add(p.trim());
            }
        }
        this.trustedProxies = List.copyOf(proxies);
        this.tls = TlsSettings.fromMap(v).orElse(null);
        this.shutdownDrain = Duration.ofMillis(longValue(v, "shutdown.drain.ms", 0));
        if (shutdownDrain.isNegative()) {
            throw new IllegalArgumentException("shutdown.drain.ms must be 0 or more: " + v.get("shutdown.drain.ms"));
        }
        this.shutdownTimeout = Duration.ofMillis(longValue(v, "shutdown.timeout.ms", replyTimeout.toMillis() + 2_000));
        this.kafka = KafkaClientSettings.fromComponentSettings(v);
        List<URI> urls = new ArrayList<>();
        for (String u : v.getOrDefault("query.urls", "").split(",")) {
            if (!u.isBlank()) {
                urls.add(queryUrl(u.trim()));
            }
        }
        this.queryUrls = List.copyOf(urls);
        this.queryTimeout = Duration.ofMillis(intValue(v, "query.timeout.ms", 1, Integer.MAX_VALUE));
        this.querySettings = Map.copyOf(QUERY_TOKEN_KEYS.stream().filter(k -> v.get(k) != null)
                .collect(java.util.stream.Collectors.toMap(k -> k, v::get)));
        if (!queryUrls.isEmpty() && !QueryToken.isSet(querySettings)) {
            throw new IllegalArgumentException("query.urls is set but no " + QueryToken.FILE_SETTING
                    + ": the orchestrators' job query endpoints admit only holders of their token");
        }
    }

    private static URI queryUrl(String s) {
        URI u;
        try {
            u = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("query.urls: not a URL: " + s);
        }
        if (!"http".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("query.urls: expected http://host:port, got " + s);
        }
        return u;
    }

    /** Config from key/values; missing keys take their defaults ({@link #defaults()}). */
    public static AdapterConfig fromMap(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        Map<String, String> merged = new LinkedHashMap<>();
        DEFAULTS.forEach((k, d) -> {
            if (d != null) {
                merged.put(k, d);
            }
        });
        values.forEach((k, val) -> {
            if (val != null) {
                merged.put(k, val);
            }
        });
        return new AdapterConfig(merged);
    }

    /** Every adapter key besides {@code kafka.*}, with its default; null when it has none (required, optional or computed). */
    public static Map<String, String> defaults() {
        return DEFAULTS;
    }

    private static int intValue(Map<String, String> v, String key, int min, int max) {
        long l = longValue(v, key, 0);
        if (l < min || l > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "]: " + l);
        }
        return (int) l;
    }

    private static boolean booleanValue(Map<String, String> v, String key) {
        String s = v.get(key).trim();
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException(key + " must be true or false: " + s);
        }
        return Boolean.parseBoolean(s);
    }

    private static long longValue(Map<String, String> v, String key, long def) {
        String s = v.get(key);
        if (s == null || s.isBlank()) {
            return def;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + s);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String topicPrefix() {
        return topicPrefix;
    }

    public Topics topics() {
        return new Topics(topicPrefix);
    }

    public String httpHost() {
        return httpHost;
    }

    public int httpPort() {
        return httpPort;
    }

    public String adminHost() {
        return adminHost;
    }

    /** Port of the admin endpoint ({@code /metrics}, {@code /healthz}, {@code /readyz}): -1 off, 0 any free port. */
    public int adminPort() {
        return adminPort;
    }

    public String instanceId() {
        return instanceId;
    }

    public Duration replyTimeout() {
        return replyTimeout;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public Duration timestampWindow() {
        return timestampWindow;
    }

    /** Requests a second one AccessKeyId may make on one instance (Throttling.User beyond). */
    public int accessKeyRatePerSecond() {
        return accessKeyRatePerSecond;
    }

    /** V3 requests must sign {@code host} (aliyun-java-sdk-core's V3 does not: off by default). */
    public boolean requireSignedHost() {
        return requireSignedHost;
    }

    /** The credentials file, or null when none is configured. */
    public Path credentialsFile() {
        return credentialsFile;
    }

    public List<String> trustedProxies() {
        return trustedProxies;
    }

    /** HTTPS settings of the listener, or null for plain HTTP. */
    public TlsSettings tls() {
        return tls;
    }

    public Duration shutdownDrain() {
        return shutdownDrain;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** The {@code kafka.*} client settings of the producer and the result consumer. */
    public KafkaClientSettings kafka() {
        return kafka;
    }

    /** Base URLs of the orchestrators' job query endpoints; empty when job queries are off. */
    public List<URI> queryUrls() {
        return queryUrls;
    }

    public Duration queryTimeout() {
        return queryTimeout;
    }

    /** The orchestrators' job query token, read now (from {@code query.token.file}); null when none is set. */
    public QueryToken queryToken() {
        return QueryToken.fromSettings(querySettings).orElse(null);
    }

    @Override
    public String toString() {
        return "AdapterConfig[bootstrap.servers=" + bootstrapServers + ", topic.prefix=" + topicPrefix
                + ", http=" + httpHost + ":" + httpPort + ", instance.id=" + instanceId
                + ", reply.timeout.ms=" + replyTimeout.toMillis() + ", max.body.bytes=" + maxBodyBytes
                + ", timestamp.window.ms=" + timestampWindow.toMillis()
                + ", access.key.rate.per.second=" + accessKeyRatePerSecond
                + ", signature.v3.require.host=" + requireSignedHost + ", credentials.file=" + credentialsFile
                + ", trusted.proxies=" + trustedProxies + ", tls=" + tls + ", query.urls=" + queryUrls
                + ", query.timeout.ms=" + queryTimeout.toMillis() + ", kafka=" + kafka + "]";
    }
}
