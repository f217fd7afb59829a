package io.edgestop.orchestrator.decision;

import io.edgestop.schema.JobStatusReport;
import io.edgestop.topics.JobKey;
import io.edgestop.topics.Topics;

/**
 * Whether a record on a cluster's report topic may be believed (issue 21): only that cluster's workers
 * may write {@code job-status-reports.<C>}, so a report there may speak only of cluster {@code <C>}'s
 * jobs, with a key and a value that agree, and never as a tick (ticks come from the orchestrator's own
 * topic). The {@code ReportRelay} applies it before a report reaches the topology.
 */
public final class ReportBinding {

    /** The cluster the orchestrator's own ticks name (stream-time-ticks): never a worker's report's. */
    public static final String TICK_CLUSTER = "__tick__";

    private ReportBinding() {
    }

    /** Null when the report may be believed; else why not (the dead letter's reason). */
    public static String refusal(Topics topics, String topic, String key, JobStatusReport report) {
        String cluster = topics.clusterOfJobStatusReports(topic);
        if (cluster == null) {
            return "not a cluster's report topic: " + topic;
        }
        if (report == null || key == null) {
            return "a report on " + topic + " needs a key and a value";
        }
        if (TICK_CLUSTER.equals(report.getClusterId()) || !cluster.equals(report.getClusterId())
                || !key.equals(JobKey.of(cluster, report.getJobId()))) {
            return "a report on " + topic + " may name only its own cluster's jobs: key '" + key + "', cluster '"
                    + report.getClusterId() + "', job '" + report.getJobId() + "'";
        }
        return null;
    }
}
