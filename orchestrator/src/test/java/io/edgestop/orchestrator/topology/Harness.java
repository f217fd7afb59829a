package io.edgestop.orchestrator.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.runtime.OrchestratorMetrics;
import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobObservation;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.RamPolicy;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopDirective;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/** A TopologyTestDriver around the orchestrator topology with typed topics and record builders. */
final class Harness implements AutoCloseable {

    static final String ACCOUNT = "1234567890";
    static final String CLUSTER = "cluster-a";
    static final String JOB = "job-1";
    static final String DOMAIN = "live.example.com";
    static final String ROOT = "acs:ram::" + ACCOUNT + ":root";
    static final String ALICE = "acs:ram::" + ACCOUNT + ":user/alice";
    static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    final OrchestratorConfig config;
    final Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, StopCommand> commands;
    final TestInputTopic<String, AccountSettings> settings;
    final TestInputTopic<String, AccountPolicies> policies;
    final TestInputTopic<String, JobState> jobStates;
    final TestInputTopic<String, JobStatusReport> reports;
    /** The stream-time ticks (what the orchestrator's ticker writes). */
    final TestInputTopic<String, JobStatusReport> ticks;
    final Map<String, TestInputTopic<byte[], byte[]>> raw = new HashMap<>();
    final TestOutputTopic<String, StopResult> results;
    final TestOutputTopic<String, AuditRecord> audit;
    final TestOutputTopic<String, JobObservation> observations;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    /** Dead letters of the job-state global store (sent by the orchestrator's own producer, not through the driver). */
    final List<ProducerRecord<byte[], byte[]>> globalDeadLetters = new ArrayList<>();
    /** Clusters whose directive topic was prepared, in order; those in {@link #undeliverable} cannot be written. */
    final List<String> prepared;
    final Set<String> undeliverable;
    /** What the topology's processors record (OrchestratorMetrics). */
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    Harness(Path stateDir) {
        this(stateDir, Map.of());
    }

    Harness(Path stateDir, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put(OrchestratorConfig.BOOTSTRAP_SERVERS, "dummy:9092");
        values.put(OrchestratorConfig.STATE_DIR, stateDir.toString());
        values.put(OrchestratorConfig.REPLICATION_FACTOR, "1");
        values.put(OrchestratorConfig.DIRECTIVE_DEADLINE_MS, "30000");

        values.putAll(overrides);
        config = OrchestratorConfig.fromMap(values);
        topics = config.topics();
        Properties props = config.streamsProperties();
        DeadLetters collect = (topic, partition, offset, key, value, reason) -> globalDeadLetters.add(
                DeadLetters.record(topics.deadLetter(), topic, partition, offset, key, value, reason));
        RecordingDirectiveTopics directiveTopics = new RecordingDirectiveTopics();
        prepared = directiveTopics.prepared;
        undeliverable = directiveTopics.undeliverable;
        driver = new TopologyTestDriver(OrchestratorTopology.build(config.topologySettings(), collect, directiveTopics,
                        new OrchestratorMetrics(meters)), props,
                Instant.ofEpochMilli(T0));
        StringSerializer ks = new StringSerializer();
        commands = driver.createInputTopic(topics.stopCommands(), ks, AvroSerdes.stopCommand());
        settings = driver.createInputTopic(topics.accountSettings(), ks, AvroSerdes.accountSettings());
        policies = driver.createInputTopic(topics.accountPolicies(), ks, AvroSerdes.accountPolicies());
        jobStates = driver.createInputTopic(topics.jobState(), ks, AvroSerdes.jobState());
        reports = driver.createInputTopic(topics.verifiedReports(), ks, AvroSerdes.jobStatusReport());
        ticks = driver.createInputTopic(topics.streamTimeTicks(), ks, AvroSerdes.jobStatusReport());
        for (String t : List.of(topics.stopCommands(), topics.accountSettings(), topics.accountPolicies(), topics.jobState(),
                topics.verifiedReports(), topics.streamTimeTicks())) {
            raw.put(t, driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()));
        }
        StringDeserializer kd = new StringDeserializer();
        results = driver.createOutputTopic(topics.stopResults(), kd, AvroSerdes.stopResult());
        audit = driver.createOutputTopic(topics.audit(), kd, AvroSerdes.auditRecord());
        observations = driver.createOutputTopic(topics.jobObservations(), kd, AvroSerdes.jobObservation());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The command topic of an async producer (one of the config's {@code async.producers}). */
    TestInputTopic<String, StopCommand> asyncCommands(String producer) {
        return driver.createInputTopic(topics.asyncCommands(producer), new StringSerializer(), AvroSerdes.stopCommand());
    }

    TestOutputTopic<String, StopDirective> directives(String clusterId) {
        return driver.createOutputTopic(topics.directives(clusterId), new StringDeserializer(), AvroSerdes.stopDirective());
    }

    // ---- builders

    // ---- single processors (MockProcessorContext)

    /**
     * A context for one processor or punctuator; its persistent stores live in {@code stateDir}. Its wall
     * clock is set, as {@link CommitPacing} reads it.
     */
    static <K, V> MockProcessorContext<K, V> processorContext(Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "single-processor-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<K, V> context = new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        context.setCurrentSystemTimeMs(0);
        return context;
    }

    /** A store initialised in {@code context} and registered there under its name; the caller closes it. */
    static <S extends StateStore> S register(MockProcessorContext<?, ?> context, StoreBuilder<S> builder) {
        S store = builder.withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    /** The job-states store as the topology builds it (versioned, one hour of history). */
    static StoreBuilder<VersionedKeyValueStore<String, JobState>> jobStates() {
        return Stores.versionedKeyValueStoreBuilder(Stores.persistentVersionedKeyValueStore(JobLookup.JOBS_STORE,
                Duration.ofHours(1)), Serdes.String(), AvroSerdes.jobState());
    }

    static StopCommand.Builder command(String requestId) {
        return StopCommand.newBuilder()
                .setRequestId(requestId)
                .setAccountId(ACCOUNT)
                .setPrincipal(ROOT)
                .setAccessKeyId("AK1")
                .setSourceIp("10.0.0.7")
                .setSecureTransport(true)
                .setRequestTime(Instant.ofEpochMilli(T0))
                .setClusterId(CLUSTER)
                .setJobId(JOB)
                .setReplyTo("adapter-1");
    }

    static JobState.Builder job(JobStatus status, long revision) {
        return JobState.newBuilder()
                .setClusterId(CLUSTER)
                .setJobId(JOB)
                .setAccountId(ACCOUNT)
                .setDomainName(DOMAIN)
                .setStatus(status)
                .setRevision(revision)
                .setUpdatedBy("control-plane");
    }

    static AccountSettings enabled(long revision) {
        return AccountSettings.newBuilder().setAccountId(ACCOUNT).setEdgeTranscodeEnabled(true).setRevision(revision).build();
    }

    static AccountPolicies policies(String principal, long revision, RamPolicy... attached) {
        return AccountPolicies.newBuilder().setAccountId(ACCOUNT).setRevision(revision)
                .setPrincipals(Map.of(principal, List.of(attached))).build();
    }

    static RamPolicy policy(String name, String document) {
        return RamPolicy.newBuilder().setPolicyName(name).setPolicyType("Custom").setDocument(document).build();
    }

    static String allowStop(String resource) {
        return "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"live:StopEdgeTranscodeJob\",\"Resource\":\""
                + resource + "\"}]}";
    }

    // ---- pipes

    /** Settings enabled and a RUNNING job, both at T0 - 1 h. */
    Harness withRunningJob() {
        settings.pipeInput(ACCOUNT, enabled(1), T0 - 3_600_000);
        jobStates.pipeInput(JobKey.of(CLUSTER, JOB), job(JobStatus.RUNNING, 1).build(), T0 - 3_600_000);
        return this;
    }

    /** A stream-time tick (what the optional ticker writes): moves the deciding task's stream time to {@code ts}. */
    void tick(long ts) {
        ticks.pipeInput("__tick__/0", JobStatusReport.newBuilder().setClusterId("__tick__").setJobId("")
                .setStatus(JobStatus.UNKNOWN).setWorkerId("ticker").setReportedAt(Instant.ofEpochMilli(ts)).build(), ts);
    }

    void send(StopCommand command, long ts) {
        commands.pipeInput(command.getAccountId(), command, ts);
    }

    StopResult decide(StopCommand command, long ts) {
        send(command, ts);
        String id = command.getRequestId() == null ? "" : command.getRequestId();
        List<StopResult> out = results.readValuesToList().stream()
                .filter(r -> r.getRequestId().equals(id))
                .filter(r -> r.getOutcome() == io.edgestop.schema.Outcome.ACCEPTED || r.getOutcome() == io.edgestop.schema.Outcome.REJECTED)
                .toList();
        if (out.size() != 1) {
            throw new AssertionError("expected one result, got " + out);
        }
        return out.get(0);
    }

    List<AuditRecord> audits() {
        return audit.readValuesToList();
    }

    List<KeyValue<String, StopResult>> resultRecords() {
        return results.readKeyValuesToList();
    }

    List<TestRecord<String, AuditRecord>> auditRecords() {
        return new ArrayList<>(audit.readRecordsToList());
    }

    @Override
    public void close() {
        driver.close();
    }
}
