package io.edgestop.adapter.action;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.edgestop.api.query.JobView;
import io.edgestop.schema.JobStatus;

/** The orchestrator's view of a job, rendered in Alibaba's fields, in Alibaba's order. */
class JobFieldsTest {

    static final Instant STARTED = Instant.parse("2026-12-01T13:04:05.678Z");

    @Test
    void aJobWithAStopInFlight() {
        JobView job = new JobView("c1", "j1", "Evening News", JobStatus.RUNNING, Instant.parse("2026-11-02T08:30:00Z"), STARTED,
                null, "rtmp://d/app/s", "rtmp://d/app/s_out", "tpl-1", "template tpl-1", "common",
                new JobView.StopInFlight("r-1", Instant.parse("2026-12-01T14:00:00.999Z"), 2, Instant.parse("2026-12-01T14:00:30Z")),
                null, "r-1#2");
        assertEquals(List.of("JobId=j1", "Name=Evening News", "Status=1", "ClusterId=c1", "CreateTime=2026-11-02T08:30:00Z",
                "LastStartAt=2026-12-01T13:04:05Z", "StreamInput=rtmp://d/app/s", "StreamOutput=rtmp://d/app/s_out",
                "TemplateId=tpl-1", "TemplateName=template tpl-1", "Type=common", "JobStatus=RUNNING", "StopRequestId=r-1",
                "StopPendingSince=2026-12-01T14:00:00Z", "StopAttempt=2", "StopDeadline=2026-12-01T14:00:30Z",
                "LastDirectiveId=r-1#2"), fields(job));
    }

    @Test
    void aJobAWorkerReportedStoppedAndOneWithOnlyWhatJobStateRequires() {
        JobView stopped = new JobView("c1", "j2", null, JobStatus.STOPPED, null, STARTED, STARTED.plusSeconds(60), null, null,
                null, null, null, null, "r-2", "r-2#1");
        assertEquals(List.of("JobId=j2", "Name=j2", "Status=0", "ClusterId=c1", "LastStartAt=2026-12-01T13:04:05Z",
                "LastStopAt=2026-12-01T13:05:05Z", "JobStatus=STOPPED", "StoppedByRequestId=r-2", "LastDirectiveId=r-2#1"),
                fields(stopped));
        JobView idle = new JobView("c1", "j3", null, JobStatus.NOT_STARTED, null, null, null, null, null, null, null, null, null,
                null, null);
        assertEquals(List.of("JobId=j3", "Name=j3", "Status=0", "ClusterId=c1", "JobStatus=NOT_STARTED"), fields(idle));
    }

    static List<String> fields(JobView job) {
        return JobFields.of(job).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
