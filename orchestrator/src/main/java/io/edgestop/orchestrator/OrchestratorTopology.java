package io.edgestop.orchestrator;

import java.time.Duration;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import io.edgestop.schema.AccountPolicies;
import io.edgestop.schema.AccountSettings;
import io.edgestop.schema.JobState;
import io.edgestop.schema.JobStatusReport;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerde;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;

/**
 * The orchestrator's Kafka Streams topology (pure: builds, never connects).
 *
 * <pre>
 * stop-commands (key accountId)
 *   -leftJoin-> account-settings  (versioned table, as of the command timestamp)
 *   -leftJoin-> account-policies  (versioned table, as of the command timestamp)
 *   -> AccountStep [nonce, parameters, quota]  --rejected--> stop-results, audit
 *   -> re-key clusterId/jobId (internal repartition topic "...-job-state-join-left-repartition")
 *   -leftJoin-> job-state          (versioned table built from the job-state stream)
 *   -> JobStep [job, feature, permission, status/in flight, accept; deadlines]
 *        --> directives.&lt;clusterId&gt;, stop-results, audit
 * job-state stream -> StopCompletion (closes pending stops when STOPPED) --> stop-results, audit
 * job-status-reports -> ReportFolder --> job-state
 * </pre>
 */
public final class OrchestratorTopology {

    static final String SETTINGS_STORE = "account-settings-versions";
    static final String POLICIES_STORE = "account-policies-versions";
    static final String JOB_STATE_STORE = "job-state-versions";

    private OrchestratorTopology() {
    }

    public static Topology build(OrchestratorConfig config) {
        Topics topics = config.topics();
        Duration history = Duration.ofMillis(config.tableHistoryRetentionMs());
        Serde<String> keys = Serdes.String();
        AvroSerde<StopCommand> commandSerde = AvroSerdes.stopCommand();
        AvroSerde<AccountSettings> settingsSerde = AvroSerdes.accountSettings();
        AvroSerde<AccountPolicies> policiesSerde = AvroSerdes.accountPolicies();
        AvroSerde<JobState> jobStateSerde = AvroSerdes.jobState();

        // topology-level config carries the error handlers and the dead-letter topic into every task
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config.streamsProperties())));

        // --- inputs
        KStream<String, StopCommand> commands = builder.stream(topics.stopCommands(),
                Consumed.with(keys, commandSerde).withName("stop-commands"));
        KTable<String, AccountSettings> settings = builder.table(topics.accountSettings(),
                Consumed.with(keys, settingsSerde).withName("account-settings"),
                Materialized.<String, AccountSettings>as(Stores.persistentVersionedKeyValueStore(SETTINGS_STORE, history))
                        .withKeySerde(keys).withValueSerde(settingsSerde));
        KTable<String, AccountPolicies> policies = builder.table(topics.accountPolicies(),
                Consumed.with(keys, policiesSerde).withName("account-policies"),
                Materialized.<String, AccountPolicies>as(Stores.persistentVersionedKeyValueStore(POLICIES_STORE, history))
                        .withKeySerde(keys).withValueSerde(policiesSerde));
        KStream<String, JobState> jobStates = builder.stream(topics.jobState(),
                Consumed.with(keys, jobStateSerde).withName("job-state"));
        KTable<String, JobState> jobTable = jobStates.toTable(Named.as("job-state-table"),
                Materialized.<String, JobState>as(Stores.persistentVersionedKeyValueStore(JOB_STATE_STORE, history))
                        .withKeySerde(keys).withValueSerde(jobStateSerde));
        KStream<String, JobStatusReport> reports = builder.stream(topics.jobStatusReports(),
                Consumed.with(keys, AvroSerdes.jobStatusReport()).withName("job-status-reports"));

        // --- state of the deciding steps
        long nonceWindow = config.nonceWindowMs();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(NonceLedger.NONCE_STORE), keys, Serdes.Long()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(NonceLedger.NONCE_INDEX_STORE), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(AccountStep.QUOTA_STORE), keys, Serdes.ByteArray()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PendingStops.STORE), keys, PendingStop.serde()).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PendingStops.DEADLINE_INDEX), Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());

        // --- account-level steps (keyed by accountId)
        KStream<String, Emit> afterAccount = commands
                .leftJoin(settings, (command, s) -> new AccountStep.AccountView(command, s, null),
                        Joined.<String, StopCommand, AccountSettings>as("settings-join").withKeySerde(keys)
                                .withValueSerde(commandSerde).withOtherValueSerde(settingsSerde))
                .leftJoin(policies, (view, p) -> new AccountStep.AccountView(view.command(), view.settings(), p),
                        Joined.<String, AccountStep.AccountView, AccountPolicies>as("policies-join").withKeySerde(keys)
                                .withOtherValueSerde(policiesSerde))
                .process(() -> new AccountStep(nonceWindow, config.quotaDefaultPerMinute()), Named.as("account-step"),
                        NonceLedger.NONCE_STORE, NonceLedger.NONCE_INDEX_STORE, AccountStep.QUOTA_STORE);

        KStream<String, CheckedCommand> checked = afterAccount
                .filter((k, v) -> v instanceof Emit.Checked, Named.as("checked-commands"))
                .mapValues(v -> ((Emit.Checked) v).value(), Named.as("checked-command-values"));
        sinkOutputs(afterAccount.filterNot((k, v) -> v instanceof Emit.Checked, Named.as("account-outputs")),
                topics, "account");

        // --- job-level steps (keyed by clusterId/jobId, co-partitioned with job-state)
        KStream<String, Emit> decided = checked
                .leftJoin(jobTable, JobStep.JobView::new,
                        Joined.<String, CheckedCommand, JobState>as("job-state-join").withKeySerde(keys)
                                .withValueSerde(CheckedCommand.serde()).withOtherValueSerde(jobStateSerde))
                .process(() -> new JobStep(config.directiveDeadlineMs(), config.directiveMaxAttempts()), Named.as("job-step"),
                        PendingStops.STORE, PendingStops.DEADLINE_INDEX);
        sinkOutputs(decided, topics, "job");

        // --- after the decision
        sinkOutputs(jobStates.process(StopCompletion::new, Named.as("stop-completion"),
                        PendingStops.STORE, PendingStops.DEADLINE_INDEX),
                topics, "completion");
        sinkOutputs(reports.process(() -> new ReportFolder(JOB_STATE_STORE), Named.as("report-folder"), JOB_STATE_STORE,
                        PendingStops.STORE, PendingStops.DEADLINE_INDEX),
                topics, "reports");

        return builder.build();
    }

    /** Routes each kind of output to its topic; directives go to their cluster's own topic. */
    private static void sinkOutputs(KStream<String, Emit> outputs, Topics topics, String name) {
        Serde<String> keys = Serdes.String();
        outputs.split(Named.as(name + "-"))
                .branch((k, v) -> v instanceof Emit.Result, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Emit.Result) v).value(), Named.as(name + "-result-values"))
                        .to(topics.stopResults(), Produced.with(keys, AvroSerdes.stopResult()).withName(name + "-to-stop-results")),
                        "results"))
                .branch((k, v) -> v instanceof Emit.Audit, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Emit.Audit) v).value(), Named.as(name + "-audit-values"))
                        .to(topics.audit(), Produced.with(keys, AvroSerdes.auditRecord()).withName(name + "-to-audit")),
                        "audit"))
                .branch((k, v) -> v instanceof Emit.Directive, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Emit.Directive) v).value(), Named.as(name + "-directive-values"))
                        .to((k, v, ctx) -> topics.directives(v.getClusterId()),
                                Produced.with(keys, AvroSerdes.stopDirective()).withName(name + "-to-directives")),
                        "directives"))
                .branch((k, v) -> v instanceof Emit.JobStateUpdate, Branched.withConsumer(s -> s
                        .mapValues(v -> ((Emit.JobStateUpdate) v).value(), Named.as(name + "-job-state-values"))
                        .to(topics.jobState(), Produced.with(keys, AvroSerdes.jobState()).withName(name + "-to-job-state")),
                        "job-state"))
                .noDefaultBranch();
    }
}
