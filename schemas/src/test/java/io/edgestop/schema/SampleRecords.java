package io.edgestop.schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;

/** One fully populated record of every topic type, for round-trip tests. */
public final class SampleRecords {

    public static final Instant T0 = Instant.parse("2026-11-27T04:00:00Z");

    private SampleRecords() {
    }

    public static StopCommand stopCommand() {
        return StopCommand.newBuilder()
                .setRequestId("req-1")
                .setAccountId("1234567890")
                .setPrincipal("acs:ram::1234567890:user/ops")
                .setAccessKeyId("LTAI-test")
                .setSourceIp("203.0.113.7")
                .setSecureTransport(true)
                .setRequestTime(T0)
                .setClusterId("cluster-a")
                .setJobId("job-1")
                .setReplyTo("adapter-1")
                .build();
    }

    public static JobState jobState() {
        return JobState.newBuilder()
                .setClusterId("cluster-a").setJobId("job-1").setAccountId("1234567890")
                .setDomainName("live.example.com").setStatus(JobStatus.RUNNING)
                .setName("evening news").setTemplateId("tpl-1")
                .setLastStartAt(T0.minusSeconds(3600)).setLastStopAt(null)
                .setRevision(7).setUpdatedBy("control-plane")
                .build();
    }

    public static JobStatusReport jobStatusReport() {
        return JobStatusReport.newBuilder()
                .setClusterId("cluster-a").setJobId("job-1").setStatus(JobStatus.STOPPED)
                .setStoppedAt(T0.plusSeconds(2)).setDirectiveId("req-1#1").setRequestId("req-1")
                .setWorkerId("worker-a-1").setReportedAt(T0.plusSeconds(2)).setMessage("stopped")
                .build();
    }

    public static AccountSettings accountSettings() {
        return AccountSettings.newBuilder()
                .setAccountId("1234567890").setEdgeTranscodeEnabled(true).setStopCallsPerMinute(100).setRevision(3)
                .build();
    }

    public static AccountPolicies accountPolicies() {
        RamPolicy policy = RamPolicy.newBuilder()
                .setPolicyName("LiveOps").setPolicyType("Custom")
                .setDocument("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"live:*\",\"Resource\":\"*\"}]}")
                .build();
        return AccountPolicies.newBuilder()
                .setAccountId("1234567890")
                .setPrincipals(Map.of("acs:ram::1234567890:user/ops", List.of(policy)))
                .setRevision(2)
                .build();
    }

    public static StopDirective stopDirective() {
        return StopDirective.newBuilder()
                .setDirectiveId("req-1#1").setRequestId("req-1").setAccountId("1234567890")
                .setClusterId("cluster-a").setJobId("job-1").setAttempt(1)
                .setIssuedAt(T0).setDeadline(T0.plusSeconds(30))
                .build();
    }

    public static StopResult stopResult() {
        return StopResult.newBuilder()
                .setRequestId("req-1").setAccountId("1234567890").setClusterId("cluster-a").setJobId("job-1")
                .setOutcome(Outcome.REJECTED).setCode("JobNotFound").setHttpStatus(404)
                .setMessage("The specified job does not exist.").setEventTime(T0)
                .setJoinedRequestId(null).setReplyTo("adapter-1")
                .build();
    }

    public static AuditRecord auditRecord() {
        return AuditRecord.newBuilder()
                .setAuditId("req-1:DECISION").setEventType(AuditEventType.DECISION).setRequestId("req-1")
                .setAccountId("1234567890").setCommand(stopCommand()).setOutcome(Outcome.ACCEPTED)
                .setCode(null).setHttpStatus(200).setMessage(null).setEventTime(T0)
                .setJobStateRevision(7L).setSettingsRevision(3L).setPoliciesRevision(2L)
                .setPolicyVerdict("Allow by LiveOps#0").setQuotaCount(1).setQuotaLimit(6000)
                .setDirectiveId("req-1#1").setAttempt(1).setJoinedRequestId(null)
                .build();
    }

    /** Every sample, one per topic type. */
    public static List<SpecificRecord> all() {
        return List.of(stopCommand(), jobState(), jobStatusReport(), accountSettings(), accountPolicies(),
                stopDirective(), stopResult(), auditRecord());
    }
}
