package io.edgestop.topics;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Names of every topic of the system, all under one configurable prefix (default
 * {@value #DEFAULT_PREFIX}), so that several deployments or tests can share one Kafka cluster.
 * The README's topic table documents keys, values, partitioning and retention; {@link TopicSpec}
 * carries the settings used to create them.
 */
public final class Topics {

    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

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

    /** Stop commands from the HTTP adapter and from services. Key: accountId. */
    public String stopCommands() {
        return prefix + "stop-commands";
    }

    /** Account settings (feature flag, quota override). Key: accountId. Compacted. */
    public String accountSettings() {
        return prefix + "account-settings";
    }

    /** RAM policies of every principal of an account. Key: accountId. Compacted. */
    public String accountPolicies() {
        return prefix + "account-policies";
    }

    /** Job state. Key: clusterId/jobId. Compacted. */
    public String jobState() {
        return prefix + "job-state";
    }

    /** What edge workers observed after acting. Key: clusterId/jobId. */
    public String jobStatusReports() {
        return prefix + "job-status-reports";
    }

    /** What the orchestrator observed of each job (stops confirmed by workers). Key: clusterId/jobId. Compacted. Written by the orchestrator only. */
    public String jobObservations() {
        return prefix + "job-observations";
    }

    /** Stop results for callers. Key: requestId. */
    public String stopResults() {
        return prefix + "stop-results";
    }

    /** The audit stream. Key: accountId. Kept forever, never compacted. */
    public String audit() {
        return prefix + "audit";
    }

    /** Records that could not be decoded or processed, raw, with the reason in headers. */
    public String deadLetter() {
        return prefix + "dead-letter";
    }

    /**
     * Whether a cluster id can name its directive topic: Kafka's topic-name characters only
     * ({@code [A-Za-z0-9._-]}), 1 to 200 of them. The one rule for the orchestrator (a job on any other
     * cluster cannot be stopped) and the edge worker (refuses to start for such a cluster).
     */
    public static boolean validClusterId(String clusterId) {
        return clusterId != null && CLUSTER_ID.matcher(clusterId).matches();
    }

    /** Stop directives for the edge workers of one cluster. Key: clusterId/jobId. */
    public String directives(String clusterId) {
        return prefix + "directives." + clusterId;
    }

    /** The fixed topics (every one but the per-cluster directive topics). */
    public List<String> fixed() {
        return List.of(stopCommands(), accountSettings(), accountPolicies(), jobState(), jobStatusReports(),
                jobObservations(), stopResults(), audit(), deadLetter());
    }
}
