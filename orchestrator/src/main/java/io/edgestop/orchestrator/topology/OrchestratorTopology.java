package io.edgestop.orchestrator.topology;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import io.edgestop.orchestrator.decision.DirectiveRoute;
import io.edgestop.orchestrator.runtime.OrchestratorMetrics;
import io.edgestop.orchestrator.runtime.TopologySettings;
import io.edgestop.orchestrator.state.CommandLedger;
import io.edgestop.orchestrator.state.JobLookup;
import io.edgestop.orchestrator.state.JobOwners;
import io.edgestop.orchestrator.state.JobStateStore;
import io.edgestop.orchestrator.state.PendingStop;
import io.edgestop.orchestrator.state.PendingStops;
import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobEvent;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.TopicContract;
import io.edgestop.topics.Topics;

/**
 * The orchestrator's Kafka Streams topology (pure: builds, never connects).
 *
 * <pre>
 * job-state (key clusterId/jobId) -> [directive topic of a new cluster prepared] -> global store job-states (every version, on every instance)
 * job-status-reports.&lt;clusterId&gt; -> ReportRelay (outside Kafka Streams: a report must name its topic's cluster) -> verified-reports
 * verified-reports (key clusterId/jobId) merged with stream-time-ticks
 *   -> JobRouter (owner from job-states)
 *   -> repartition by accountId ("...-job-events-repartition"), once per report
 * stop-commands (key accountId, the adapter's) and async-commands.&lt;producer&gt; of each async.producers, merged with the job events
 *   -leftJoin-> account-settings  (versioned table, as of the record timestamp)
 *   -leftJoin-> account-policies  (versioned table, as of the record timestamp)
 *   -> Decider [command-ledger (nonces and quota), job-observations, pending-stops; reads job-states]
 *   -> AuditChain [audit-chain: links each audit record to the task's chain]   --> audit-checkpoints (signed)
 *        --> stop-results, audit, directives.&lt;clusterId&gt;, job-observations
 * </pre>
 *
 * A command is decided by one task in one exactly-once transaction: from its record on
 * stop-commands to its result, audit record and directive there is one commit.
 */
public final class OrchestratorTopology {

    static final String SETTINGS_STORE = TopicContract.ACCOUNT_SETTINGS_VERSIONS.streamsName();
    public static final String POLICIES_STORE = TopicContract.ACCOUNT_POLICIES_VERSIONS.streamsName();

    private OrchestratorTopology() {
    }

    /**
     * The topology; {@code deadLetters} takes the job-state records the global store cannot decode
     * (Kafka Streams dead-letters every other input itself); {@code directiveTopics} prepares each
     * cluster's directive topic before its first job is stored and tells the decider which cannot be written.
     */
    public static Topology build(TopologySettings topologySettings, DeadLetters deadLetters, DirectiveTopics directiveTopics) {
        return build(topologySettings, deadLetters, directiveTopics, OrchestratorMetrics.discarded());
    }

    /** The topology recording decisions, redeliveries, timeouts and pending stops in {@code metrics}. */
    public static Topology build(TopologySettings topologySettings, DeadLetters deadLetters, DirectiveTopics directiveTopics,
                                 OrchestratorMetrics metrics) {
        return build(topologySettings, deadLetters, directiveTopics, metrics, JobOwners.off(), new JobStateStore());
    }

    /**
     * The topology, also indexing each account's jobs in {@code owners} (for ListEdgeTranscodeJob) and handing
     * the job-states store to {@code jobStates} (for the job queries).
     */
    public static Topology build(TopologySettings topologySettings, DeadLetters deadLetters, DirectiveTopics directiveTopics,
                                 OrchestratorMetrics metrics, JobOwners owners, JobStateStore jobStates) {
        Topics topics = topologySettings.topics();
        Path keyFile = topologySettings.auditCheckpointKeyFile();
        CheckpointKey signingKey = keyFile == null ? null : CheckpointKey.read(keyFile); // read once: every task signs with it
        Duration history = topologySettings.tableHistory();
        Serde<String> keys = Serdes.String();
        AvroSerde<AccountSettings> settingsSerde = AvroSerdes.accountSettings();
        AvroSerde<AccountPolicies> policiesSerde = AvroSerdes.accountPolicies();
        AvroSerde<JobEvent> jobEventSerde = AvroSerdes.jobEvent();

        // topology-level config carries the error handlers and the dead-letter topic into every task
        StreamsBuilder builder = new StreamsBuilder(topologySettings.streams());

        // --- job state: every instance keeps all jobs' versions (global store, restored before any command is decided)
        builder.addGlobalStore(Stores.versionedKeyValueStoreBuilder(
                        Stores.persistentVersionedKeyValueStore(JobLookup.JOBS_STORE, history), keys, AvroSerdes.jobState())
                        .withLoggingDisabled(),
                topics.jobState(), Consumed.with(keys, Serdes.ByteArray()).withName("job-state"), () -> new JobStateUpdater(deadLetters, directiveTopics, owners, jobStates));

        // --- reports (keyed by clusterId/jobId): re-keyed to the owning account, once per report
        // the reports the relay checked and took from every cluster's own topic (ReportRelay), and the orchestrator's ticks
        KStream<String, JobStatusReport> ticks = builder.stream(topics.streamTimeTicks(),
                Consumed.with(keys, AvroSerdes.jobStatusReport()).withName("stream-time-ticks"));
        KStream<String, DeciderInput> jobEvents = builder.stream(topics.verifiedReports(),
                        Consumed.with(keys, AvroSerdes.jobStatusReport()).withName("verified-reports"))
                .merge(ticks, Named.as("reports-and-ticks"))
                .process(() -> new JobRouter(topics, new CommitPacing(topologySettings.commitIntervals())),
                        Named.as("report-router"))
                .repartition(Repartitioned.with(keys, jobEventSerde).withName(TopicContract.JOB_EVENTS.streamsName())
                        .withStreamPartitioner(new JobEventPartitioner()))
                .mapValues(e -> (DeciderInput) new DeciderInput.Job(e), Named.as("job-event-inputs"));

        // --- account side (keyed by accountId): every decision in one task
        KTable<String, AccountSettings> settings = builder.table(topics.accountSettings(),
                Consumed.with(keys, settingsSerde).withName("account-settings"),
                Materialized.<String, AccountSettings>as(Stores.persistentVersionedKeyValueStore(SETTINGS_STORE, history))
                        .withKeySerde(keys).withValueSerde(settingsSerde));
        KTable<String, AccountPolicies> policies = builder.table(topics.accountPolicies(),
                Consumed.with(keys, Serdes.serdeFrom(policiesSerde.serializer(),
                        new PolicyAdmission(topics.accountPolicies(), policiesSerde.deserializer(), metrics::invalidPolicy))).withName("account-policies"),
                Materialized.<String, AccountPolicies>as(Stores.persistentVersionedKeyValueStore(POLICIES_STORE, history))
                        .withKeySerde(keys).withValueSerde(policiesSerde));
        KStream<String, DeciderInput> commands = builder.stream(topics.stopCommands(),
                        Consumed.with(keys, AvroSerdes.stopCommand()).withName("stop-commands"))
                .mapValues(c -> (DeciderInput) new DeciderInput.Command(c, null, null, null), Named.as("command-inputs"));
        // each async producer's own topic: its ACL proves the producer, the topic names it (docs/security.md)
        for (String producer : topologySettings.asyncProducers()) {
            commands = commands.merge(builder.stream(topics.asyncCommands(producer),
                            Consumed.with(keys, AvroSerdes.stopCommand()).withName("async-commands." + producer))
                    .mapValues(c -> (DeciderInput) new DeciderInput.Command(c, producer, null, null),
                            Named.as("async-command-inputs." + producer)), Named.as("async-commands-merge." + producer));
        }

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CommandLedger.STORE), keys, CommandLedger.serde()));
        builder.addStateStore(Stores.versionedKeyValueStoreBuilder(
                Stores.persistentVersionedKeyValueStore(JobLookup.OBSERVATIONS_STORE, history), keys, AvroSerdes.jobObservation()));
        // store by store: docs/architecture.md, "Stores of the deciding task"
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(PendingStops.STORE), keys, PendingStop.serde()));
        // one key per task, rewritten by every decision: the record cache sends one changelog record per commit
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(AuditChain.STORE), keys, AvroSerdes.auditChainHead()).withCachingEnabled());

        KStream<String, Emit> outputs = commands.merge(jobEvents, Named.as("decider-inputs"))
                .leftJoin(settings, DeciderInput::withSettings,
                        Joined.<String, DeciderInput, AccountSettings>as("settings-join").withKeySerde(keys)
                                .withOtherValueSerde(settingsSerde))
                .leftJoin(policies, DeciderInput::withPolicies,
                        Joined.<String, DeciderInput, AccountPolicies>as("policies-join").withKeySerde(keys)
                                .withOtherValueSerde(policiesSerde))
                .process(() -> new Decider(topologySettings.decisions(), topologySettings.commitIntervals(),
                                directiveTopics, metrics),
                        Named.as("decider"), CommandLedger.STORE, JobLookup.OBSERVATIONS_STORE, PendingStops.STORE)
                .process(() -> new AuditChain(signingKey, topologySettings.auditCheckpointRecords(),
                                topologySettings.auditCheckpointIntervalMs()),
                        Named.as("audit-chain"), AuditChain.STORE);
        sinkOutputs(outputs, topics);
        return builder.build();
    }

    /** Routes each kind of output to its topic; directives go to their cluster's own topic. */
    private static void sinkOutputs(KStream<String, Emit> outputs, Topics topics) {
        Serde<String> keys = Serdes.String();
        outputs.split(Named.as("outputs-"))
                .branch((k, v) -> v instanceof Emit.Result, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Emit.Result) v).value(), Named.as("result-values"))
                        .to(topics.stopResults(), Produced.with(keys, AvroSerdes.stopResult()).withName("to-stop-results")),
                        "results"))
                .branch((k, v) -> v instanceof Emit.ChainedAudit, Branched.withConsumer(s -> s
                        .mapValues(v -> (Emit.ChainedAudit) v, Named.as("audit-values"))
                        .to(topics.audit(), Produced.with(keys, AuditChain.sealedSerde()).withName("to-audit")
                                .withStreamPartitioner(AuditChain.partitioner())),
                        "audit"))
                .branch((k, v) -> v instanceof Emit.Checkpoint, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Emit.Checkpoint) v).value(), Named.as("checkpoint-values"))
                        .to(topics.auditCheckpoints(), Produced.with(keys, AvroSerdes.auditCheckpoint()).withName("to-audit-checkpoints")
                                .withStreamPartitioner(AuditChain.checkpointPartitioner())),
                        "checkpoints"))
                .branch((k, v) -> v instanceof Emit.Directive, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Emit.Directive) v).value(), Named.as("directive-values"))
                        .to((k, v, ctx) -> DirectiveRoute.topic(topics, v.getClusterId()),
                                Produced.with(keys, AvroSerdes.stopDirective()).withName("to-directives")),
                        "directives"))
                .branch((k, v) -> v instanceof Emit.Observation, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Emit.Observation) v).value(), Named.as("observation-values"))
                        .to(topics.jobObservations(), Produced.with(keys, AvroSerdes.jobObservation()).withName("to-job-observations")),
                        "observations"))
                .noDefaultBranch();
    }
}
