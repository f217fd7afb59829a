package io.edgestop.adapter;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.adapter.action.ApiAction;
import io.edgestop.adapter.action.GetJobAction;
import io.edgestop.adapter.action.JobQueryClient;
import io.edgestop.adapter.action.ListJobsAction;
import io.edgestop.adapter.action.StopJobAction;
import io.edgestop.adapter.auth.AccessKeyRateLimit;
import io.edgestop.adapter.auth.Authenticator;
import io.edgestop.adapter.auth.CallerGate;
import io.edgestop.adapter.auth.CredentialStore;
import io.edgestop.adapter.http.AdapterMetrics;
import io.edgestop.adapter.http.AlibabaErrorHandler;
import io.edgestop.adapter.http.ApiHandler;
import io.edgestop.adapter.http.ClientAddress;
import io.edgestop.adapter.http.LastAnswerWhenClosing;
import io.edgestop.adapter.kafka.ReplyRouter;
import io.edgestop.adapter.kafka.ResultListener;
import io.edgestop.adapter.tls.ServerTls;
import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.ops.NonceCache;
import io.edgestop.ops.Tracing;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;

/**
 * The Alibaba-compatible HTTP front door: verifies StopEdgeTranscodeJob calls, publishes them as
 * {@link StopCommand}s and answers with the orchestrator's decision read from the results topic;
 * GetEdgeTranscodeJob and ListEdgeTranscodeJob are answered by the orchestrators' job query
 * endpoints ({@code query.urls}).
 * Several instances can run behind one load balancer: each one has its own {@code instance.id},
 * stamps it as {@code replyTo} on its commands and keeps only the results addressed to it.
 */
public final class ApiAdapter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiAdapter.class);
    /** Nonces one instance remembers (about 100 MB at most): 15 minutes of 1,100 requests a second. */
    static final int NONCES_REMEMBERED = 1_000_000;

    private final AdapterConfig config;
    private final Server server;
    private final ServerConnector connector;
    /** The admin endpoint's connector (plain HTTP, {@code admin.port}), or null when it is off. */
    private final ServerConnector adminConnector;
    private final KafkaProducer<String, StopCommand> producer;
    private final ResultListener listener;
    private final ReplyRouter router;
    private final AdapterMetrics metrics;
    private final Tracing tracing;
    private volatile boolean closed;

    private ApiAdapter(AdapterConfig config, CredentialStore credentials) {
        this.config = config;
        Topics topics = config.topics();
        // both validate their settings before any Kafka client is made
        ClientAddress clientAddress = new ClientAddress(config.trustedProxies());
        ServerTls tls = config.tls() == null ? null : new ServerTls(config.tls());
        this.router = new ReplyRouter(config.instanceId());
        this.metrics = new AdapterMetrics(router::pending, () -> ready() ? 1 : 0);

        Properties pp = KafkaClientProperties.of(config.bootstrapServers(), config.kafka())
                .withDefault(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000")
                .withDefault(ProducerConfig.LINGER_MS_CONFIG, "0")
                // what no kafka.* setting may change: where the producer goes, who it is, and that a command is never lost or doubled
                .keepBootstrapServers()
                .keep(ProducerConfig.CLIENT_ID_CONFIG, "edgestop-adapter-" + config.instanceId())
                .keep(ProducerConfig.ACKS_CONFIG, "all")
                .keep(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .build();
        this.producer = new KafkaProducer<>(pp, new StringSerializer(), AvroSerdes.stopCommand().serializer());

        this.listener = new ResultListener(config.bootstrapServers(), config.kafka(), topics.stopResults(),
                config.instanceId(), result -> {
                    switch (router.route(result)) {
                        case LATE -> metrics.lateReply();
                        case OTHER_INSTANCE -> metrics.resultIgnored("other_instance");
                        case FOLLOW_UP -> metrics.resultIgnored("follow_up");
                        case DELIVERED -> { }
                    }
                }, () -> metrics.resultIgnored("undecodable"));

        this.tracing = Tracing.start("edge-stop-adapter");
        Clock clock = Clock.systemUTC();
        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName("edgestop-adapter-http");
        pool.setDaemon(true);
        JobQueryClient jobQueries = new JobQueryClient(config.queryUrls(), config.queryTimeout(), config.queryToken());
        List<ApiAction> actions = List.of(
                // not this::ready: a call that comes in while close() drains is still published and answered
                new StopJobAction(config.instanceId(), router, producer, topics.stopCommands(), config.replyTimeout(),
                        metrics::replyTimeout, listener::ready),
                new GetJobAction(jobQueries),
                new ListJobsAction(jobQueries));
        ApiHandler handler = new ApiHandler(config.instanceId(),
                new Authenticator(credentials, config.timestampWindow(), clock, config.requireSignedHost()),
                new CallerGate(new AccessKeyRateLimit(config.accessKeyRatePerSecond()),
                        new NonceCache(config.timestampWindow().toMillis(), NONCES_REMEMBERED)),
                clientAddress, actions, config.maxBodyBytes(), metrics, this::ready, clock, pool, tracing.tracer());

        this.server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        if (tls == null) {
            this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            http.addCustomizer(new SecureRequestCustomizer());
            this.connector = new ServerConnector(server, tls.sslContextFactory(), new HttpConnectionFactory(http));
            if (tls.scanner() != null) {
                server.addBean(tls.scanner());
            }
        }
        connector.setHost(config.httpHost());
        connector.setPort(config.httpPort());
        server.addConnector(connector);
        if (config.adminPort() >= 0) {
            HttpConfiguration adminHttp = new HttpConfiguration();
            adminHttp.setSendServerVersion(false);
            this.adminConnector = new ServerConnector(server, new HttpConnectionFactory(adminHttp));
            adminConnector.setName(ApiHandler.ADMIN_CONNECTOR);
            adminConnector.setHost(config.adminHost());
            adminConnector.setPort(config.adminPort());
            server.addConnector(adminConnector);
        } else {
            this.adminConnector = null;
        }
        server.setHandler(new GracefulHandler(new LastAnswerWhenClosing(handler, () -> closed)));
        server.setErrorHandler(new AlibabaErrorHandler());
        server.setStopTimeout(config.shutdownTimeout().toMillis());
        server.setStopAtShutdown(false);
    }

    /** Starts the adapter; returns once the HTTP port is bound (see {@link #ready()} for the Kafka side). */
    public static ApiAdapter start(AdapterConfig config, CredentialStore credentials) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(credentials, "credentials");
        ApiAdapter adapter = new ApiAdapter(config, credentials);
        try {
            adapter.listener.start();
            adapter.server.start();
        } catch (Exception e) {
            adapter.close();
            throw new IllegalStateException("cannot start the API adapter on " + config.httpHost() + ":"
                    + config.httpPort(), e);
        }
        LOG.info("API adapter {} listening on {} (results: {}, commands: {})", config.instanceId(), adapter.baseUrl(),
                config.topics().stopResults(), config.topics().stopCommands());
        return adapter;
    }

    public URI baseUrl() {
        String host = config.httpHost();
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create((config.tls() == null ? "http" : "https") + "://" + host + ":" + port() + "/");
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The admin endpoint ({@code /metrics}, {@code /healthz}, {@code /readyz}); null when {@code admin.port} is -1. */
    public URI adminUrl() {
        if (adminConnector == null) {
            return null;
        }
        String host = config.adminHost();
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + adminConnector.getLocalPort() + "/");
    }

    public String instanceId() {
        return config.instanceId();
    }

    /**
     * True when the reply path is positioned on every results partition, Kafka answered the result
     * listener's last reachability probe (every second), and the adapter is not closing.
     */
    public boolean ready() {
        return !closed && listener.ready();
    }

    /** Number of late (dropped) decision results addressed to this instance. */
    public double lateReplies() {
        return metrics.lateReplies();
    }

    /** Requests currently waiting for their decision. */
    public int pendingReplies() {
        return router.pending();
    }

    /**
     * Graceful shutdown: readiness turns false and every answer from then on carries {@code Connection: close}
     * ({@link LastAnswerWhenClosing}); calls are still accepted and answered for {@code shutdown.drain.ms} or until
     * no connection is open; then the adapter stops accepting connections, lets in-flight requests get their
     * answer (up to {@code shutdown.timeout.ms}) and closes the Kafka clients.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        drain();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server stop: {}", e.toString());
        }
        router.failAll(new IllegalStateException("adapter closed"));
        listener.close();
        producer.close(java.time.Duration.ofSeconds(5));
        tracing.close();
        LOG.info("API adapter {} stopped", config.instanceId());
    }

    /**
     * Waits while callers still hold connections, for at most {@code shutdown.drain.ms}. Stopping at once would close
     * their idle keep-alive connections, and a call sent on one at that instant gets no answer at all (a client
     * may resend a GET by itself, not a POST). A caller that sends during the drain is answered, and its
     * {@code Connection: close} retires the connection; so is a load balancer's traffic until it sees
     * {@code /readyz} fail.
     */
    private void drain() {
        long end = System.nanoTime() + config.shutdownDrain().toNanos();
        while (end - System.nanoTime() > 0 && !connector.getConnectedEndPoints().isEmpty()) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
