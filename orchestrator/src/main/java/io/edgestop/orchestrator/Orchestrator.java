package io.edgestop.orchestrator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.kafka.KafkaRefusal;
import io.edgestop.ops.AdminServer;
import io.edgestop.orchestrator.kafka.KafkaDirectiveTopics;
import io.edgestop.orchestrator.kafka.ReportRelay;
import io.edgestop.orchestrator.kafka.StreamTimeTicker;
import io.edgestop.orchestrator.query.JobOwnersLoader;
import io.edgestop.orchestrator.query.JobQueryServer;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.runtime.OrchestratorMetrics;
import io.edgestop.orchestrator.state.JobOwners;
import io.edgestop.orchestrator.state.JobStateStore;
import io.edgestop.orchestrator.topology.DeadLetters;
import io.edgestop.orchestrator.topology.DirectiveTopics;
import io.edgestop.orchestrator.topology.OrchestratorTopology;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One running orchestrator instance: a KafkaStreams client running {@link OrchestratorTopology}, and
 * its admin endpoint when {@code admin.port} is set.
 */
public final class Orchestrator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);
    /**
     * Bounds of {@link #close()}: the ticker, Kafka Streams, then the orchestrator's two other clients; together
     * 12 s, so SIGTERM returns within 15 s in every state, a send stuck in {@code max.block.ms} included
     * (docs/reliability.md). Work not committed by then is redone by whoever takes the tasks over.
     */
    static final Duration STREAMS_CLOSE_TIMEOUT = Duration.ofSeconds(6);
    static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaStreams streams;
    /** A registry per instance, as the adapter's: several orchestrators may share a JVM (tests, dev). */
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OrchestratorMetrics meters = new OrchestratorMetrics(registry);
    private final KafkaStreamsMetrics streamsMetrics;
    private volatile AdminServer admin;
    private final DeadLetters deadLetters;
    private final DirectiveTopics directiveTopics;
    private final JobOwners owners;
    private final JobStateStore jobStates = new JobStateStore();
    private final JobQueryServer query;
    private volatile JobOwnersLoader ownersLoader;
    private volatile StreamTimeTicker ticker;
    private volatile ReportRelay relay;
    private final CountDownLatch running = new CountDownLatch(1);
    /** Reached RUNNING once (and its Streams metrics are bound). */
    private volatile boolean reachedRunning;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Orchestrator(OrchestratorConfig config) {
        this.deadLetters = DeadLetters.counted(DeadLetters.toKafka(config, CLIENT_CLOSE_TIMEOUT), meters);
        this.directiveTopics = new KafkaDirectiveTopics(config, CLIENT_CLOSE_TIMEOUT);
        this.owners = config.queryPort() >= 0 ? JobOwners.kept() : JobOwners.off();
        JobQueryServer q = null;
        try {
            Properties props = config.streamsProperties();
            if (config.queryPort() >= 0) {
                q = JobQueryServer.bind(config.querySettings(), owners, meters);
                // where the other instances forward the queries of the accounts this one owns
                props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, q.self().host() + ":" + q.self().port());
            }
            this.streams = new KafkaStreams(OrchestratorTopology.build(config.topologySettings(), deadLetters, directiveTopics,
                    meters, owners, jobStates), props);
        } catch (IOException | RuntimeException e) {
            if (q != null) {
                q.close();
            }
            directiveTopics.close(); // with the producer, the only clients made so far
            deadLetters.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot serve the job queries on " + config.queryHost() + ":" + config.queryPort(), io);
            }
            throw (RuntimeException) e;
        }
        this.query = q;
        meters.signsAuditCheckpoints(config.signsAuditCheckpoints());
        if (!config.signsAuditCheckpoints()) {
            log.warn("{} is not set: the audit hash chains are written but no checkpoint is signed, so audit verify cannot tell"
                    + " a record appended or a tail cut by someone else from the orchestrator's (docs/audit.md, \"The checkpoint key\")",
                    OrchestratorConfig.AUDIT_CHECKPOINT_KEY_FILE);
        }
        // the binder lists the client's metrics when bound, then once a minute: bound at the first RUNNING, when the
        // tasks' processors have added their sensors, they are exported from the first scrape on
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING && !reachedRunning) {
                streamsMetrics.bindTo(registry);
                reachedRunning = true;
            }
            // ERROR ends the wait too: awaitRunning answers false at once instead of at its timeout
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            Optional<Throwable> refusal = KafkaRefusal.in(e);
            if (refusal.isPresent()) {
                // a replaced thread would be refused the same way, forever
                log.error("orchestrator stopped: {}", KafkaRefusal.describe(refusal.get()));
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            meters.streamThreadFailed();
            log.error("orchestrator stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Starts a KafkaStreams client for the config and returns at once. */
    public static Orchestrator start(OrchestratorConfig config) {
        Orchestrator orchestrator = new Orchestrator(config);
        try {
            orchestrator.streams.start(); // throws when the global store cannot be read, e.g. the cluster refused the client
        } catch (RuntimeException e) {
            orchestrator.close();
            throw e;
        }
        orchestrator.ticker = StreamTimeTicker.startIfEnabled(config, CLIENT_CLOSE_TIMEOUT);
        orchestrator.relay = ReportRelay.start(config);
        if (orchestrator.query != null) {
            orchestrator.ownersLoader = JobOwnersLoader.start(config, orchestrator.owners, CLIENT_CLOSE_TIMEOUT);
            orchestrator.query.serve(orchestrator.streams, orchestrator.jobStates);
        }
        if (config.adminPort() >= 0) {
            try {
                orchestrator.admin = AdminServer.start(config.adminHost(), config.adminPort(), orchestrator.registry,
                        orchestrator::ready);
            } catch (IOException e) {
                orchestrator.close();
                throw new UncheckedIOException("cannot serve the admin endpoint on port " + config.adminPort(), e);
            }
        }
        return orchestrator;
    }

    /** Waits until the client reached RUNNING once; true when it did within the timeout. */
    public boolean awaitRunning(Duration timeout) {
        try {
            running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return reachedRunning;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The Kafka Streams client's metrics, the decider's own sensors included. */
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    /**
     * Able to decide: Kafka Streams RUNNING with at least one active task on this instance (an
     * instance with no task, e.g. one more than there are partitions, is alive but decides nothing).
     */
    public boolean ready() {
        return reachedRunning // its metrics bound
                && streams.state() == KafkaStreams.State.RUNNING
                && streams.metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
    }

    /** The port of the admin endpoint, or -1 when it is off. */
    public int adminPort() {
        AdminServer a = admin;
        return a == null ? -1 : a.port();
    }

    /** The port of the job query endpoint, or -1 when it is off. */
    public int queryPort() {
        return query == null ? -1 : query.port();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Closes the client (leaving the group so others take over at once); idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            AdminServer a = admin;
            if (a != null) {
                a.close();
            }
            if (query != null) {
                query.close();
            }
            JobOwnersLoader l = ownersLoader;
            if (l != null) {
                l.close();
            }
            StreamTimeTicker t = ticker;
            if (t != null) {
                t.close();
            }
            ReportRelay r = relay;
            if (r != null) {
                r.close();
            }
            if (!streams.close(CloseOptions.timeout(STREAMS_CLOSE_TIMEOUT)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
                log.warn("Kafka Streams did not close within {}; its uncommitted work is redone by the next owner",
                        STREAMS_CLOSE_TIMEOUT);
            }
            directiveTopics.close();
            deadLetters.close();
            streamsMetrics.close();
            registry.close();
        }
    }
}
