package io.edgestop.topics;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names of every topic of the system, all under one configurable prefix (default
 * {@value #DEFAULT_PREFIX}), so that several deployments or tests can share one Kafka cluster.
 * Each name comes from its {@link TopicContract}, which also says the topic's key, value,
 * cleanup, retention and partitioning.
 */
public final class Topics {

    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    /** {@link #validClusterId}'s rule, for messages. */
    public static final String CLUSTER_ID_RULE = "1 to 200 of A-Z a-z 0-9 . _ -";

    public static final String DEFAULT_PREFIX = "edgestop.";

    private final String prefix;

    public Topics(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    public static Topics withDefaultPrefix() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String prefix() {
        return prefix;
    }

    /** Stop commands from the HTTP adapter (async producers have their own topics: {@link #asyncCommands}). */
    public String stopCommands() {
        return name(TopicContract.STOP_COMMANDS);
    }

    /** Account settings (feature flag, quota override). */
    public String accountSettings() {
        return name(TopicContract.ACCOUNT_SETTINGS);
    }

    /** RAM policies of every principal of an account. */
    public String accountPolicies() {
        return name(TopicContract.ACCOUNT_POLICIES);
    }

    /** Job state. */
    public String jobState() {
        return name(TopicContract.JOB_STATE);
    }

    /** What the edge workers of one cluster observed after acting; only they may write it. */
    public String jobStatusReports(String clusterId) {
        return perCluster(TopicContract.JOB_STATUS_REPORTS, clusterId);
    }

    /** Every cluster's report topic, present and future (the orchestrator's subscription). */
    public Pattern jobStatusReportsPattern() {
        return Pattern.compile(Pattern.quote(prefix + TopicContract.JOB_STATUS_REPORTS.name()) + CLUSTER_ID.pattern());
    }

    /** The cluster whose report topic this is, or null when it is none. */
    public String clusterOfJobStatusReports(String topic) {
        return topic != null && jobStatusReportsPattern().matcher(topic).matches()
                ? topic.substring(prefix.length() + TopicContract.JOB_STATUS_REPORTS.name().length()) : null;
    }

    /** The reports the orchestrator's relay checked and took from the clusters' report topics; only it may write them. */
    public String verifiedReports() {
        return name(TopicContract.VERIFIED_REPORTS);
    }

    /** The orchestrator's stream-time ticks; only it may write them. */
    public String streamTimeTicks() {
        return name(TopicContract.STREAM_TIME_TICKS);
    }

    /** What the orchestrator observed of each job (stops confirmed by workers). Written by the orchestrator only. */
    public String jobObservations() {
        return name(TopicContract.JOB_OBSERVATIONS);
    }

    /** Stop results for callers. */
    public String stopResults() {
        return name(TopicContract.STOP_RESULTS);
    }

    /** The audit stream. */
    public String audit() {
        return name(TopicContract.AUDIT);
    }

    /** Signed checkpoints of the audit hash chains. */
    public String auditCheckpoints() {
        return name(TopicContract.AUDIT_CHECKPOINTS);
    }

    /** Records that could not be decoded or processed, raw, with the reason in headers. */
    public String deadLetter() {
        return name(TopicContract.DEAD_LETTER);
    }

    /**
     * Whether a cluster id can name its directive topic: Kafka's topic-name characters only
     * ({@code [A-Za-z0-9._-]}), 1 to 200 of them. The one rule for the orchestrator (a job on any other
     * cluster cannot be stopped) and the edge worker (refuses to start for such a cluster).
     */
    public static boolean validClusterId(String clusterId) {
        return clusterId != null && CLUSTER_ID.matcher(clusterId).matches();
    }

    /** Stop directives for the edge workers of one cluster. */
    public String directives(String clusterId) {
        return prefix + TopicContract.DIRECTIVES.name() + clusterId;
    }

    /** The name of one cluster's {@link TopicContract.Kind#PER_CLUSTER per-cluster} topic under this prefix. */
    public String perCluster(TopicContract<?> topic, String clusterId) {
        if (topic.kind() != TopicContract.Kind.PER_CLUSTER) {
            throw new IllegalArgumentException(topic + " is not a per-cluster topic");
        }
        return prefix + topic.name() + clusterId;
    }

    /** Whether a name can name an async producer's command topic: the rule of {@link #validClusterId}. */
    public static boolean validProducerName(String producer) {
        return producer != null && CLUSTER_ID.matcher(producer).matches();
    }

    /** Stop commands of one async producer (only its principal may write them). */
    public String asyncCommands(String producer) {
        return prefix + TopicContract.ASYNC_COMMANDS.name() + producer;
    }

    /** The name of a {@link TopicContract.Kind#FIXED fixed} topic under this prefix. */
    public String name(TopicContract<?> topic) {
        if (topic.kind() != TopicContract.Kind.FIXED) {
            throw new IllegalArgumentException(topic + " is not a fixed topic");
        }
        return prefix + topic.name();
    }

    /** The fixed topics (every one but the per-cluster directive and report topics and Kafka Streams' internal ones). */
    public List<String> fixed() {
        return TopicContract.fixed().stream().map(this::name).toList();
    }
}
