package io.edgestop.adapter.action;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import io.edgestop.api.query.JobView;
import io.edgestop.schema.JobStatus;

/**
 * A job in Alibaba's fields, in Alibaba's order: {@code JobId}, {@code Name} (the job id when it has none),
 * {@code Status} ("1" running, "0" not), {@code ClusterId}, then {@code CreateTime}, {@code LastStartAt},
 * {@code LastStopAt} (UTC, whole seconds, {@code yyyy-MM-ddTHH:mm:ssZ}), {@code StreamInput},
 * {@code StreamOutput}, {@code TemplateId}, {@code TemplateName} and {@code Type} when the job holds them (a
 * field left out is read as null by the SDK); then the stop's progress, which Alibaba's clients ignore:
 * {@code JobStatus} (the status in force), while a stop is in flight {@code StopRequestId},
 * {@code StopPendingSince}, {@code StopAttempt}, {@code StopDeadline}, and {@code StoppedByRequestId} once a
 * worker reported the stop, each with its {@code LastDirectiveId}.
 */
final class JobFields {

    private JobFields() {
    }

    static Map<String, Object> of(JobView job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("JobId", job.jobId());
        m.put("Name", job.name() == null ? job.jobId() : job.name());
        m.put("Status", job.status() == JobStatus.RUNNING ? "1" : "0");
        m.put("ClusterId", job.clusterId());
        putTime(m, "CreateTime", job.createTime());
        putTime(m, "LastStartAt", job.lastStartAt());
        putTime(m, "LastStopAt", job.lastStopAt());
        putText(m, "StreamInput", job.streamInput());
        putText(m, "StreamOutput", job.streamOutput());
        putText(m, "TemplateId", job.templateId());
        putText(m, "TemplateName", job.templateName());
        putText(m, "Type", job.transcodeType());
        m.put("JobStatus", job.status().name());
        JobView.StopInFlight stop = job.stopInFlight();
        if (stop != null) {
            m.put("StopRequestId", stop.requestId());
            putTime(m, "StopPendingSince", stop.since());
            m.put("StopAttempt", stop.attempt());
            putTime(m, "StopDeadline", stop.deadline());
        }
        putText(m, "StoppedByRequestId", job.stoppedByRequestId());
        putText(m, "LastDirectiveId", job.lastDirectiveId());
        return m;
    }

    private static void putText(Map<String, Object> m, String name, String value) {
        if (value != null) {
            m.put(name, value);
        }
    }

    private static void putTime(Map<String, Object> m, String name, Instant t) {
        if (t != null) {
            m.put(name, t.truncatedTo(ChronoUnit.SECONDS).toString());
        }
    }
}
