package io.edgestop.adapter;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

import io.edgestop.adapter.tls.TlsSettings;
import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.ops.QueryToken;
import io.edgestop.topics.Topics;

/**
 * Immutable adapter configuration, from key/values ({@link #fromMap}): the keys {@code DEFINITION} declares (all
 * optional but {@code bootstrap.servers}; docs/settings.md describes each), and {@code kafka.*}, the client settings of
 * the producer and the consumer ({@link KafkaClientSettings}), e.g. {@code kafka.security.protocol}.
 */
public final class AdapterConfig {

    /** Outside dev an adapter is reachable only from its own machine unless {@code http.host} says otherwise. */
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final String ADMIN_HOST = "admin.host";
    public static final String ADMIN_PORT = "admin.port";

    /**
     * Every adapter key but {@code kafka.*}, declared once: type, default, check, importance and the description
     * docs/settings.md shows (generated from here, with the launcher's own defaults). {@code tls.*} are read by
     * {@link TlsSettings}, {@code query.token*} by {@link QueryToken}.
     */
    private static final ConfigDef DEFINITION = new ConfigDef()
            .define("bootstrap.servers", Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Kafka cluster (`-b`, `--bootstrap-servers`)")
            .define("topic.prefix", Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM,
                    "prefix of every topic name (`--topic-prefix`)")
            .define("http.host", Type.STRING, DEFAULT_HTTP_HOST, Importance.HIGH,
                    "listen address: this machine only; `0.0.0.0` for every interface (`--http-host`)")
            .define("http.port", Type.INT, 0, Range.between(0, 65535), Importance.HIGH,
                    "listen port, 0 any free port (`--http-port`)")
            // /metrics (and /healthz, /readyz) on a port of their own, never on the API's: off (-1) when embedded;
            // `edge-stop adapter` serves it on 9467
            .define(ADMIN_PORT, Type.INT, -1, Range.between(-1, 65535), Importance.MEDIUM,
                    "port of `/metrics`, `/healthz`, `/readyz` (plain HTTP); `/metrics` is never served on `http.port`;"
                            + " -1 off, 0 any free port (`--admin-port`)")
            .define(ADMIN_HOST, Type.STRING, "0.0.0.0", Importance.LOW, "address the admin endpoint binds to")
            .define("instance.id", Type.STRING, null, Importance.MEDIUM,
                    "this instance's reply address; unique per running instance (`--instance-id`)",
                    "random (`adapter-...`)")
            .define("credentials.file", Type.STRING, null, Importance.HIGH,
                    "JSON file of the accepted access keys (`--credentials-file`; see [No default credentials outside"
                            + " dev](http-api.md#no-default-credentials-outside-dev))",
                    "none: required (or `--seed`)")
            .define("reply.timeout.ms", Type.INT, 10_000, Range.atLeast(1), Importance.MEDIUM,
                    "how long a request waits for its decision before 503 (`--reply-timeout-ms`)")
            .define("max.body.bytes", Type.INT, 65_536, Range.between(0, 64 * 1024 * 1024), Importance.LOW,
                    "largest accepted request body")
            .define("timestamp.window.ms", Type.LONG, 900_000L, Importance.LOW,
                    "allowed clock difference of Timestamp / x-acs-date")
            .define("access.key.rate.per.second", Type.INT, 1000, Range.between(1, 1_000_000), Importance.MEDIUM,
                    "requests a second one AccessKeyId may make on one adapter instance, checked right after the"
                            + " signature; beyond it `Throttling.User` (see [security](security.md))")
            .define("signature.v3.require.host", Type.BOOLEAN, false, Importance.LOW,
                    "`true`: a V3 request must list `host` in SignedHeaders, so a signature made for one endpoint is"
                            + " refused on another; Alibaba's Tea-based SDKs sign it, aliyun-java-sdk-core's V3 does not"
                            + " (see [security](security.md))")
            .define("trusted.proxies", Type.STRING, null, Importance.MEDIUM,
                    "comma-separated IPs or CIDRs whose X-Forwarded-For / X-Forwarded-Proto are believed")
            .define("shutdown.drain.ms", Type.LONG, 1000L, Range.atLeast(0), Importance.LOW,
                    "how long a shutdown keeps answering calls after `/readyz` turns false (each answer with"
                            + " `Connection: close`) before it stops accepting; ends sooner once no connection is open."
                            + " Behind a load balancer: the time it takes to stop sending after a failed readiness check")
            .define("shutdown.timeout.ms", Type.LONG, null, Importance.LOW,
                    "how long a shutdown then waits for the requests in flight", "`reply.timeout.ms` + 2000")
            .define("query.urls", Type.STRING, null, Importance.MEDIUM,
                    "comma-separated `http://host:port/` of orchestrator job query endpoints (their `query.port`), for"
                            + " Get and List; any instance answers, tried in turn",
                    "none: Get and List answer 503")
            .define("query.timeout.ms", Type.INT, 5000, Range.atLeast(1), Importance.LOW,
                    "how long a job query may take")
            .define(QueryToken.FILE_SETTING, Type.STRING, null, Importance.MEDIUM,
                    "the orchestrators' job query token (their `query.token.file`), the file's first line; a refused"
                            + " token is logged and answered `InternalError`",
                    "none: required with `query.urls`")
            .define(QueryToken.SETTING, Type.PASSWORD, null, Importance.LOW,
                    "the token itself instead of the file (embedded use); never both; hidden in `--print-settings`")
            .define("tls.keystore.path", Type.STRING, null, Importance.MEDIUM,
                    "HTTPS from a PKCS12 or JKS keystore with the key and its certificate chain (see"
                            + " [HTTPS](http-api.md#https))",
                    "none: plain HTTP")
            .define("tls.keystore.password", Type.PASSWORD, null, Importance.MEDIUM,
                    "the keystore's password, required with `tls.keystore.path`")
            .define("tls.keystore.type", Type.STRING, null, Importance.LOW, "PKCS12 or JKS", "`PKCS12`")
            .define("tls.certificate.path", Type.STRING, null, Importance.MEDIUM,
                    "or HTTPS from PEM files: the certificate chain...")
            .define("tls.key.path", Type.STRING, null, Importance.MEDIUM,
                    "...and the private key (PKCS#8 or PKCS#1/SEC1, read with BouncyCastle), as certbot / cert-manager /"
                            + " openssl write them")
            .define("tls.key.password", Type.PASSWORD, null, Importance.LOW, "only for an encrypted PEM key")
            .define("tls.reload.interval.s", Type.INT, null, Importance.LOW,
                    "how often the certificate files are checked for a change; 0 never", "`10`");

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
        Map<String, Object> p = parse(v);
        this.bootstrapServers = (String) p.get("bootstrap.servers");
        this.topicPrefix = (String) p.get("topic.prefix");
        this.httpHost = (String) p.get("http.host");
        this.httpPort = (Integer) p.get("http.port");
        this.adminHost = (String) p.get(ADMIN_HOST);
        this.adminPort = (Integer) p.get(ADMIN_PORT);
        String id = (String) p.get("instance.id");
        this.instanceId = id == null || id.isBlank() ? "adapter-" + UUID.randomUUID().toString().substring(0, 12) : id;
        this.replyTimeout = Duration.ofMillis((Integer) p.get("reply.timeout.ms"));
        this.maxBodyBytes = (Integer) p.get("max.body.bytes");
        this.timestampWindow = Duration.ofMillis((Long) p.get("timestamp.window.ms"));
        this.accessKeyRatePerSecond = (Integer) p.get("access.key.rate.per.second");
        this.requireSignedHost = (Boolean) p.get("signature.v3.require.host");
        String cf = (String) p.get("credentials.file");
        this.credentialsFile = cf == null || cf.isBlank() ? null : Path.of(cf);
        this.trustedProxies = commaSeparated((String) p.get("trusted.proxies"));
        this.tls = TlsSettings.fromMap(v).orElse(null);
        this.shutdownDrain = Duration.ofMillis((Long) p.get("shutdown.drain.ms"));
        Long shutdownTimeoutMs = (Long) p.get("shutdown.timeout.ms");
        this.shutdownTimeout = Duration.ofMillis(shutdownTimeoutMs == null ? replyTimeout.toMillis() + 2_000
                : shutdownTimeoutMs);
        this.kafka = KafkaClientSettings.fromComponentSettings(v);
        this.queryUrls = commaSeparated((String) p.get("query.urls")).stream().map(AdapterConfig::queryUrl).toList();
        this.queryTimeout = Duration.ofMillis((Integer) p.get("query.timeout.ms"));
        this.querySettings = Map.copyOf(QUERY_TOKEN_KEYS.stream().filter(k -> v.get(k) != null)
                .collect(java.util.stream.Collectors.toMap(k -> k, v::get)));
        if (!queryUrls.isEmpty() && !QueryToken.isSet(querySettings)) {
            throw new IllegalArgumentException("query.urls is set but no " + QueryToken.FILE_SETTING
                    + ": the orchestrators' job query endpoints admit only holders of their token");
        }
    }

    /** The typed values; a refused one as the {@link IllegalArgumentException} of every check, naming key and value. */
    private static Map<String, Object> parse(Map<String, String> v) {
        try {
            return DEFINITION.parse(v);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static List<String> commaSeparated(String v) {
        List<String> items = new ArrayList<>();
        for (String item : v == null ? new String[0] : v.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
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

    /**
     * Config from key/values; missing keys take their defaults ({@link #definition()}), and so does a number left
     * blank (an empty environment variable), as it always has.
     */
    public static AdapterConfig fromMap(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        Map<String, String> given = new LinkedHashMap<>();
        values.forEach((k, val) -> {
            if (val != null && !(val.isBlank() && isNumber(k))) {
                given.put(k, val);
            }
        });
        return new AdapterConfig(given);
    }

    private static boolean isNumber(String key) {
        ConfigDef.ConfigKey declared = DEFINITION.configKeys().get(key);
        return declared != null && (declared.type == Type.INT || declared.type == Type.LONG);
    }

    /** The declarations of every adapter key besides {@code kafka.*} (a copy). */
    public static ConfigDef definition() {
        return new ConfigDef(DEFINITION);
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
