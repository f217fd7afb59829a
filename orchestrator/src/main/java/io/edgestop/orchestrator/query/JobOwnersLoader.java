package io.edgestop.orchestrator.query;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.kafka.KafkaClientProperties;
import io.edgestop.kafka.ReadToEnd;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.state.JobOwners;
import io.edgestop.schema.JobState;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * Completes {@link JobOwners} once at start, in the background: Kafka Streams restores the global
 * store from its checkpoint, so after a restart {@code JobStateUpdater} sees only the records
 * written since, not the jobs it already held. This reads the job-state topic's keys and owners
 * from the beginning to the end offsets of the moment it starts; later records reach the index
 * through the updater. It only adds: a job deleted meanwhile is skipped when listed, because List
 * reads every job from the store.
 */
public final class JobOwnersLoader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobOwnersLoader.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final Duration closeTimeout;

    private JobOwnersLoader(OrchestratorConfig config, JobOwners owners, Duration closeTimeout) {
        this.closeTimeout = closeTimeout;
        Properties p = KafkaClientProperties.of(config.bootstrapServers(), config.kafkaClientSettings())
                .withDefault(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .withDefault(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .keepBootstrapServers()
                .keep(ConsumerConfig.CLIENT_ID_CONFIG, config.applicationId() + "-job-owners")
                .build();
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        String topic = config.topics().jobState();
        this.thread = new Thread(() -> load(topic, owners), "edgestop-job-owners");
        thread.setDaemon(true);
    }

    public static JobOwnersLoader start(OrchestratorConfig config, JobOwners owners, Duration closeTimeout) {
        JobOwnersLoader loader = new JobOwnersLoader(config, owners, closeTimeout);
        loader.thread.start();
        return loader;
    }

    private void load(String topic, JobOwners owners) {
        AvroSerde<JobState> serde = AvroSerdes.jobState();
        long started = System.nanoTime();
        try {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            long records = ReadToEnd.read(consumer, Duration.ofSeconds(30), r -> {
                if (r.key() == null || r.value() == null) {
                    return;
                }
                try {
                    owners.add(serde.deserialize(topic, r.value()).getAccountId(), r.key());
                } catch (RuntimeException e) {
                    // undecodable: the updater dead-letters it, and the store does not hold it
                }
            });
            owners.markComplete();
            log.info("job index complete: {} job-state records read in {} ms", records, (System.nanoTime() - started) / 1_000_000);
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.warn("cannot build the job index; ListEdgeTranscodeJob answers ServiceUnavailable: {}", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    @Override
    public void close() {
        try {
            consumer.wakeup();
        } catch (RuntimeException e) {
            // already closed by the loading thread
        }
        try {
            thread.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
