package io.edgestop.orchestrator.topology;

import static io.edgestop.orchestrator.topology.Harness.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.edgestop.api.ApiError;
import io.edgestop.orchestrator.decision.CommandSize;
import io.edgestop.schema.AuditRecord;
import io.edgestop.schema.JobStatus;
import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopResult;
import io.edgestop.topics.JobKey;

/** Outputs that could not be written are never sent: the command gets a documented error instead (rules 1 and 6c). */
class UnwritableOutputTest {

    @TempDir
    Path stateDir;
    Harness h;

    @BeforeEach
    void setUp() {
        h = new Harness(stateDir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void aClustersDirectiveTopicIsPreparedBeforeItsFirstJobIsStored() {
        h.withRunningJob();
        assertEquals(List.of(CLUSTER), h.prepared);
        assertEquals(Outcome.ACCEPTED, h.decide(command("r1").build(), T0).getOutcome());
    }

    @Test
    void aClusterThatCannotBeWrittenIsAnsweredServiceUnavailableAndOthersAreDecided() {
        h.withRunningJob();
        h.jobStates.pipeInput(JobKey.of("closed-cluster", JOB), job(JobStatus.RUNNING, 1).setClusterId("closed-cluster").build(),
                T0 - 3_600_000);
        h.undeliverable.add("closed-cluster");

        StopResult refused = h.decide(command("r1").setClusterId("closed-cluster").build(), T0);
        assertEquals(ApiError.EDGE_CLUSTER_UNAVAILABLE.code(), refused.getCode());
        assertEquals(503, refused.getHttpStatus());
        assertTrue(h.directives("closed-cluster").isEmpty());
        AuditRecord audit = h.audits().get(0);
        assertEquals(Outcome.REJECTED, audit.getOutcome());
        assertEquals(ApiError.EDGE_CLUSTER_UNAVAILABLE.code(), audit.getCode());

        assertEquals(Outcome.ACCEPTED, h.decide(command("r2").build(), T0 + 1).getOutcome());
        assertEquals(1, h.directives(CLUSTER).readValuesToList().size());

        h.undeliverable.clear(); // the topic became writable: the retry is accepted
        assertEquals(Outcome.ACCEPTED, h.decide(command("r3").setClusterId("closed-cluster").build(), T0 + 2).getOutcome());
    }

    @Test
    void aFieldOverTheBoundIsRejectedAndWrittenCutToTheBound() {
        h.withRunningJob();
        String longJob = "j".repeat(CommandSize.MAX_FIELD_CHARS + 1);
        StopResult r = h.decide(command("r1").setJobId(longJob).build(), T0);
        assertEquals(ApiError.INVALID_PARAMETER.code(), r.getCode());
        assertEquals(400, r.getHttpStatus());
        assertEquals("The parameter \"JobId\" is longer than 4096 characters.", r.getMessage());
        assertEquals(CommandSize.MAX_FIELD_CHARS, r.getJobId().length());
        assertEquals(CommandSize.MAX_FIELD_CHARS, h.audits().get(0).getCommand().getJobId().length());

        String atBound = "j".repeat(CommandSize.MAX_FIELD_CHARS);
        assertEquals("JobNotFound", h.decide(command("r2").setJobId(atBound).build(), T0 + 1).getCode());
    }
}
