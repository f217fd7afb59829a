package io.edgestop.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.ops.AdminServer;
import io.edgestop.ops.Tracing;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;
import io.edgestop.trace.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The agent of one edge cluster: consumes the cluster's directive topic (consumer group per
 * cluster), stops each job through a {@link JobController} and reports a
 * {@link JobStatusReport} on its cluster's job-status-reports topic.
 *
 * <h2>Delivery guarantees</h2>
 * <ul>
 * <li>At-least-once: offsets are committed only after every report of a polled batch was
 *     acknowledged by Kafka (acks=all, idempotent producer). A crash anywhere before that commit
 *     means the directives are delivered again, to this worker after a restart or to another
 *     worker of the cluster.</li>
 * <li>A directive handled twice stops the job once: the {@link JobController} is idempotent
 *     (stopping a stopped job returns the original stop time), and within one process a
 *     directive already reported is answered from a cache without calling the controller.</li>
 * <li>Reports are consistent: every report about one stopped job carries the same
 *     {@code stoppedAt}, whichever directive or delivery produced it.</li>
 * <li>A failing stop is retried {@code stop.max.attempts} times, then reported with the status
 *     the controller last gave (or RUNNING) and the reason in {@code message}; the orchestrator
 *     re-sends the directive when its deadline passes.</li>
 * </ul>
 * Each directive is handled in a span, child of the directive's {@code traceparent}; its report
 * carries that span on its headers, so the stop's trace goes on to the orchestrator.
 */
public final class EdgeWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EdgeWorker.class);
    private static final int DEDUP_CACHE_SIZE = 10_000;

    /** Test seam: called between stopping a job and sending its report. */
    @FunctionalInterface
    public interface AfterStopHook {
        void afterStop(StopDirective directive, JobStatusReport report);
    }

    private final EdgeWorkerConfig config;
    private final JobController controller;
    private final AfterStopHook afterStop;
    private final Clock clock;
    private final AvroSerde<StopDirective> directiveSerde = AvroSerdes.stopDirective();
    private final AvroSerde<JobStatusReport> reportSerde = AvroSerdes.jobStatusReport();
    private final Map<String, JobStatusReport> reported = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobStatusReport> eldest) {
            return size() > DEDUP_CACHE_SIZE;
        }
    };

    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean assigned = new AtomicBoolean();
    private final AtomicInteger partitionsOwned = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong directivesHandled = new AtomicLong();
    private final AtomicLong reportsSent = new AtomicLong();
    private final AtomicLong duplicatesSeen = new AtomicLong();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;
    /** A registry per worker: several workers may share a JVM (tests, dev). */
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final WorkerMetrics metrics;
    private final Tracing tracing = Tracing.start("edge-stop-worker");
    private AdminServer admin;

    public EdgeWorker(EdgeWorkerConfig config, JobController controller) {
        this(config, controller, (d, r) -> { }, Clock.systemUTC());
    }

    public EdgeWorker(EdgeWorkerConfig config, JobController controller, AfterStopHook afterStop, Clock clock) {
        this.config = config;
        this.controller = controller;
        this.afterStop = afterStop;
        this.clock = clock;
        registry.config().commonTags("cluster", config.clusterId()); // before any meter: it applies to later ones only
        this.metrics = new WorkerMetrics(registry);
    }

    /** Creates and starts a worker on its own thread. */
    public static EdgeWorker start(EdgeWorkerConfig config, JobController controller) {
        return new EdgeWorker(config, controller).start();
    }

    public synchronized EdgeWorker start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        if (config.adminPort() >= 0) {
            try {
                admin = AdminServer.start(config.adminHost(), config.adminPort(), registry, this::ready);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serve the admin endpoint on port " + config.adminPort(), e);
            }
        }
        thread = new Thread(this::run, "edge-worker-" + config.clusterId());
        thread.setDaemon(false);
        thread.start();
        return this;
    }

    public EdgeWorkerConfig config() {
        return config;
    }

    /** True once the group gave this worker its partitions (directives can be handled). */
    public boolean isAssigned() {
        return assigned.get();
    }

    /** Waits until this worker has joined its group and got partitions. */
    public boolean awaitAssigned(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!assigned.get() && System.nanoTime() < deadline && stopped.getCount() > 0) {
            stopped.await(20, TimeUnit.MILLISECONDS);
        }
        return assigned.get();
    }

    /**
     * Able to stop jobs: the polling thread runs and owns at least one partition of the directive
     * topic (a spare worker of the cluster, or one whose topic does not exist yet, is alive but not ready).
     */
    public boolean ready() {
        return partitionsOwned.get() > 0 && isRunning();
    }

    /** The port of the admin endpoint, or -1 when it is off. */
    public synchronized int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** True while the polling thread runs. */
    public boolean isRunning() {
        return thread != null && stopped.getCount() > 0;
    }

    /** What ended the polling thread abnormally, if anything. */
    public Throwable failure() {
        return failure.get();
    }

    public long directivesHandled() {
        return directivesHandled.get();
    }

    public long reportsSent() {
        return reportsSent.get();
    }

    /** Directives this process had already reported and answered from its cache. */
    public long duplicatesSeen() {
        return duplicatesSeen.get();
    }

    /** Waits for the polling thread to end (after {@link #close()} or a failure). */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops polling and closes the clients; offsets of reported directives are committed. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (thread != null && !stopped.await(30, TimeUnit.SECONDS)) {
                log.warn("edge worker {} did not stop within 30 s", config.workerId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (admin != null) {
                admin.close();
            }
        }
        registry.close();
        tracing.close();
    }

    private Properties consumerProps() {
        return KafkaClientProperties.of(config.bootstrapServers(), config.kafka())
                .withDefault(ConsumerConfig.GROUP_ID_CONFIG, config.groupId())
                .withDefault(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-consumer")
                .withDefault(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                // directives are written in the orchestrator's transactions: never act on one that was aborted
                .withDefault(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                // a new cluster group must also see directives issued before its first worker started
                .withDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .withDefault(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100")
                // the orchestrator creates a cluster's directive topic with its documented settings before any
                // directive for it; a worker started first waits for it and must not auto-create it with broker defaults
                .withDefault(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false")
                .withDefault(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName())
                .withDefault(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName())
                .build();
    }

    private Properties producerProps() {
        return KafkaClientProperties.of(config.bootstrapServers(), config.kafka())
                .withDefault(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-producer")
                .withDefault(ProducerConfig.ACKS_CONFIG, "all")
                .withDefault(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .withDefault(ProducerConfig.LINGER_MS_CONFIG, "0")
                .withDefault(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .withDefault(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName())
                .build();
    }

    private void run() {
        KafkaProducer<String, byte[]> producer = null;
        KafkaClientMetrics producerMetrics = null;
        KafkaClientMetrics consumerMetrics = null;
        try {
            producer = new KafkaProducer<>(producerProps());
            consumer = new KafkaConsumer<>(consumerProps());
            // the clients' own metrics: records-lag-max of the consumer is the worker's consumer lag
            producerMetrics = new KafkaClientMetrics(producer);
            producerMetrics.bindTo(registry);
            consumerMetrics = new KafkaClientMetrics(consumer);
            consumerMetrics.bindTo(registry);
            if (closing.get()) {
                return;
            }
            consumer.subscribe(List.of(config.directiveTopic()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // nothing to flush: every batch is reported and committed before the next poll
                    partitionsOwned.addAndGet(-partitions.size());
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        log.info("edge worker {} assigned {}", config.workerId(), partitions);
                    }
                    partitionsOwned.addAndGet(partitions.size());
                    assigned.set(true);
                }
            });
            log.info("edge worker {} consuming {} as group {}", config.workerId(), config.directiveTopic(),
                    config.groupId());
            while (!closing.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
                if (!records.isEmpty()) {
                    try {
                        processBatch(records, producer);
                    } catch (CommitFailedException | RebalanceInProgressException | RetriableException e) {
                        // the reports were acknowledged; only the commit failed (e.g. a rebalance moved the
                        // partitions): whoever owns them now gets those directives again, idempotently
                        log.warn("edge worker {}: commit failed, directives may be handled again: {}",
                                config.workerId(), e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            if (!closing.get()) {
                failure.set(e);
            }
        } catch (Throwable t) {
            // a crash: no commit, so everything not committed is delivered again
            failure.set(t);
            log.error("edge worker {} stopped by an error; uncommitted directives will be redelivered",
                    config.workerId(), t);
        } finally {
            closeQuietly(consumerMetrics);
            closeQuietly(producerMetrics);
            closeQuietly(consumer);
            closeQuietly(producer);
            stopped.countDown();
        }
    }

    private void processBatch(ConsumerRecords<String, byte[]> records, KafkaProducer<String, byte[]> producer)
            throws InterruptedException {
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        List<Long> directiveTimestamps = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> rec : records) {
            TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
            firstOffsets.putIfAbsent(tp, rec.offset());
            commit.put(tp, new OffsetAndMetadata(rec.offset() + 1));
            StopDirective directive = decode(rec);
            if (directive == null) {
                continue;
            }
            Span span = tracing.tracer().spanBuilder("stop job").setSpanKind(SpanKind.CONSUMER)
                    .setParent(TraceContext.extract(rec.headers()))
                    .setAttribute("edgestop.directive_id", directive.getDirectiveId())
                    .setAttribute("edgestop.cluster_id", directive.getClusterId())
                    .setAttribute("edgestop.job_id", directive.getJobId())
                    .startSpan();
            JobStatusReport report;
            try (Scope ignored = span.makeCurrent()) {
                report = handle(directive);
                span.setAttribute("edgestop.job_status", String.valueOf(report.getStatus()));
            } finally {
                span.end();
            }
            Context trace = Context.root().with(span);
            log.info("edge worker {}: directive {} for {}/{}: {} (trace {})", config.workerId(), directive.getDirectiveId(),
                    directive.getClusterId(), directive.getJobId(), report.getStatus(), TraceContext.traceId(trace));
            afterStop.afterStop(directive, report);
            String topic = config.topics().jobStatusReports(config.clusterId()); // the only report topic it may write
            acks.add(producer.send(new ProducerRecord<>(topic, null, JobKey.of(report.getClusterId(), report.getJobId()),
                    reportSerde.serialize(topic, report), TraceContext.inject(trace, new RecordHeaders()))));
            directiveTimestamps.add(rec.timestamp());
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // a report was not acknowledged: handle the whole batch again (stops are idempotent)
            log.warn("edge worker {}: report not acknowledged, handling the batch again: {}", config.workerId(),
                    e.toString());
            firstOffsets.forEach(consumer::seek);
            Thread.sleep(config.stopRetryBackoff().toMillis());
            return;
        }
        reportsSent.addAndGet(acks.size());
        long now = clock.millis();
        directiveTimestamps.forEach(ts -> metrics.reported(ts, now));
        consumer.commitSync(commit);
    }

    private StopDirective decode(ConsumerRecord<String, byte[]> rec) {
        if (rec.value() == null) {
            return null;
        }
        try {
            StopDirective d = directiveSerde.deserialize(rec.topic(), rec.value());
            if (!config.clusterId().equals(d.getClusterId())) {
                log.warn("edge worker {}: skipping directive {} for cluster {} found on {}", config.workerId(),
                        d.getDirectiveId(), d.getClusterId(), rec.topic());
                return null;
            }
            return d;
        } catch (RuntimeException e) {
            log.warn("edge worker {}: skipping undecodable record {}-{}@{}: {}", config.workerId(), rec.topic(),
                    rec.partition(), rec.offset(), e.toString());
            return null;
        }
    }

    /** Stops the job of one directive (or finds it stopped) and builds its report. */
    JobStatusReport handle(StopDirective d) throws InterruptedException {
        directivesHandled.incrementAndGet();
        JobStatusReport cached = reported.get(d.getDirectiveId());
        if (cached != null) {
            duplicatesSeen.incrementAndGet();
            log.debug("edge worker {}: directive {} already reported, sending the same report", config.workerId(),
                    d.getDirectiveId());
            return cached;
        }
        StopOutcome outcome = null;
        Exception lastError = null;
        for (int attempt = 1; attempt <= config.stopMaxAttempts(); attempt++) {
            try {
                outcome = controller.stop(d.getClusterId(), d.getJobId());
                lastError = null;
                break;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                lastError = e;
                log.warn("edge worker {}: stop of {}/{} failed (attempt {}/{}): {}", config.workerId(),
                        d.getClusterId(), d.getJobId(), attempt, config.stopMaxAttempts(), e.toString());
                if (attempt < config.stopMaxAttempts()) {
                    Thread.sleep(config.stopRetryBackoff().toMillis() * attempt);
                }
            }
        }
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        JobStatusReport.Builder b = JobStatusReport.newBuilder()
                .setClusterId(d.getClusterId())
                .setJobId(d.getJobId())
                .setDirectiveId(d.getDirectiveId())
                .setRequestId(d.getRequestId())
                .setWorkerId(config.workerId())
                .setReportedAt(now);
        if (outcome == null) {
            metrics.stopFailed();
            b.setStatus(JobStatus.RUNNING).setStoppedAt(null)
                    .setMessage("stop failed after " + config.stopMaxAttempts() + " attempts: " + lastError);
        } else {
            metrics.stopped();
            b.setStatus(outcome.status()).setStoppedAt(outcome.stoppedAt()).setMessage(outcome.message());
        }
        JobStatusReport report = b.build();
        if (report.getStatus() == JobStatus.STOPPED) {
            reported.put(d.getDirectiveId(), report);
        }
        return report;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.debug("close failed", e);
        }
    }
}
