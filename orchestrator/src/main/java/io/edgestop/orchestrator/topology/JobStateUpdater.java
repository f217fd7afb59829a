package io.edgestop.orchestrator.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.orchestrator.state.JobOwners;
import io.edgestop.orchestrator.state.JobStateStore;
import io.edgestop.schema.JobState;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * Keeps the job-state global store: every version of each job at its record timestamp (a
 * tombstone deletes the job from then on), for the as-of lookups of step 3. Kafka Streams
 * restores a global store by running the topic through this processor again.
 *
 * <p>Values arrive as bytes and are decoded here: the global thread has no producer, so Kafka
 * Streams cannot dead-letter a record it fails to decode there (and its dead-letter path fails
 * on a global store). An undecodable job state goes to {@link DeadLetters} instead, is logged
 * with its coordinates (never its bytes), and the job keeps its previous version.
 *
 * <p>It hands the store to the job queries ({@link JobStateStore}) when Kafka Streams opens it.
 *
 * <p>A job's cluster gets its directive topic {@link DirectiveTopics#prepare prepared} before the
 * job is stored, so no decision can route a directive to a topic not known to be writable.
 */
final class JobStateUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(JobStateUpdater.class);
    private final AvroSerde<JobState> serde = AvroSerdes.jobState();
    private final DeadLetters deadLetters;
    private final DirectiveTopics directiveTopics;
    private final JobOwners owners;
    private final JobStateStore jobStates;
    private ProcessorContext<Void, Void> context;
    private VersionedKeyValueStore<String, JobState> jobs;

    JobStateUpdater(DeadLetters deadLetters, DirectiveTopics directiveTopics, JobOwners owners, JobStateStore jobStates) {
        this.deadLetters = deadLetters;
        this.directiveTopics = directiveTopics;
        this.owners = owners;
        this.jobStates = jobStates;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.jobs = context.getStateStore(JobLookup.JOBS_STORE);
        jobStates.opened(jobs);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            VersionedRecord<JobState> gone = jobs.delete(record.key(), record.timestamp());
            if (gone != null) {
                owners.remove(gone.value().getAccountId(), record.key());
            }
            return;
        }
        RecordMetadata at = context.recordMetadata().orElseThrow();
        JobState state;
        try {
            state = serde.deserialize(at.topic(), record.value());
        } catch (SerializationException e) {
            log.warn("dead-lettered an undecodable job state at {}-{}@{}: {}", at.topic(), at.partition(), at.offset(), e.getMessage());
            deadLetters.send(at.topic(), at.partition(), at.offset(),
                    record.key().getBytes(StandardCharsets.UTF_8), record.value(), e);
            return;
        }
        directiveTopics.prepare(state.getClusterId());
        jobs.put(record.key(), state, record.timestamp());
        owners.add(state.getAccountId(), record.key());
    }
}
