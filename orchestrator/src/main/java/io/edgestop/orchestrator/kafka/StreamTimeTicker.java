package io.edgestop.orchestrator.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.orchestrator.decision.ReportBinding;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * Tick source ({@code tick.interval.ms}, default 1 s; 0 turns it off): writes a status-{@code UNKNOWN}
 * {@link JobStatusReport} (cluster {@value ReportBinding#TICK_CLUSTER}, ignored by the report folder) to every
 * partition of {@code stream-time-ticks}, which only the orchestrator may write (issue 21: a worker
 * cannot move stream time), at a fixed wall-clock interval, so that stream time,
 * and with it directive deadlines, advances on partitions with no other traffic. The ticks are
 * ordinary input records, so a replay of the topics still decides identically. They also keep every
 * partition of the job-events repartition topic from staying empty forever (see docs/reliability.md).
 */
public final class StreamTimeTicker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StreamTimeTicker.class);

    private final Producer<String, byte[]> producer;
    private final ScheduledExecutorService timer;
    private final String topic;
    private final Duration closeTimeout;

    private StreamTimeTicker(OrchestratorConfig config, Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
        this.producer = new KafkaProducer<>(config.producerProperties("ticker"), new StringSerializer(), new ByteArraySerializer());
        this.topic = config.topics().streamTimeTicks();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orchestrator-ticker");
            t.setDaemon(true);
            return t;
        });
        long interval = config.tickIntervalMs();
        // fixed delay, not rate: a ticker delayed by a busy machine must not catch up with ticks of the same millisecond
        timer.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    public static StreamTimeTicker startIfEnabled(OrchestratorConfig config, Duration closeTimeout) {
        return config.tickIntervalMs() > 0 ? new StreamTimeTicker(config, closeTimeout) : null;
    }

    private void tick() {
        try {
            long now = System.currentTimeMillis();
            List<PartitionInfo> partitions = producer.partitionsFor(topic);
            byte[] value = AvroSerdes.jobStatusReport().serialize(topic, JobStatusReport.newBuilder()
                    .setClusterId(ReportBinding.TICK_CLUSTER).setJobId("").setStatus(JobStatus.UNKNOWN)
                    .setWorkerId("orchestrator-ticker").setReportedAt(Instant.ofEpochMilli(now)).build());
            for (PartitionInfo partition : partitions) {
                producer.send(new ProducerRecord<>(topic, partition.partition(), now, ReportBinding.TICK_CLUSTER + "/" + partition.partition(), value));
            }
        } catch (RuntimeException e) {
            log.debug("tick failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close(closeTimeout);
    }
}
