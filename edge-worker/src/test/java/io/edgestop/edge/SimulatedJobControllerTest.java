package io.edgestop.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.edgestop.schema.JobStatus;

class SimulatedJobControllerTest {

    @Test
    void stopIsIdempotentAndKeepsTheOriginalStopTime() throws Exception {
        SimulatedJobController c = new SimulatedJobController().addRunningJob("c1", "j1");
        assertEquals(JobStatus.RUNNING, c.status("c1", "j1").orElseThrow());
        StopOutcome first = c.stop("c1", "j1");
        StopOutcome second = c.stop("c1", "j1");
        assertTrue(first.stoppedNow());
        assertFalse(second.stoppedNow());
        assertEquals(JobStatus.STOPPED, second.status());
        assertEquals(first.stoppedAt(), second.stoppedAt());
        assertEquals(1, c.stopCount("c1", "j1"));
        assertEquals(2, c.stopCalls());
    }

    @Test
    void unknownJobsAreRunningOrUnknownAsConfigured() throws Exception {
        assertEquals(JobStatus.STOPPED, new SimulatedJobController().stop("c1", "new").status());
        SimulatedJobController strict = new SimulatedJobController(Duration.ZERO, 0, 1, false, Clock.systemUTC());
        StopOutcome o = strict.stop("c1", "nope");
        assertEquals(JobStatus.UNKNOWN, o.status());
        assertTrue(strict.status("c1", "nope").isEmpty());
    }

    @Test
    void failuresAreDeterministicForASeed() {
        assertEquals(failurePattern(7), failurePattern(7));
        List<Boolean> p = failurePattern(7);
        assertTrue(p.contains(true) && p.contains(false), "a 50% failure rate gives both: " + p);
    }

    @Test
    void fullFailureRateAlwaysFailsAndLeavesTheJobRunning() {
        SimulatedJobController c = SimulatedJobController.fromMap(Map.of(SimulatedJobController.FAILURE_RATE, "1.0"));
        assertThrows(IllegalStateException.class, () -> c.stop("c1", "j1"));
        assertEquals(JobStatus.RUNNING, c.status("c1", "j1").orElseThrow());
        assertEquals(1, c.failures());
    }

    @Test
    void stopTakesTheConfiguredLatency() throws Exception {
        SimulatedJobController c = SimulatedJobController.fromMap(Map.of(SimulatedJobController.STOP_LATENCY_MS, "50"));
        long t0 = System.nanoTime();
        c.stop("c1", "j1");
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(50).toNanos());
        long t1 = System.nanoTime();
        c.stop("c1", "j1"); // already stopped: no work
        assertTrue(System.nanoTime() - t1 < Duration.ofMillis(50).toNanos());
    }

    private static List<Boolean> failurePattern(long seed) {
        SimulatedJobController c = new SimulatedJobController(Duration.ZERO, 0.5, seed, true, Clock.systemUTC());
        List<Boolean> failed = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            try {
                c.stop("c1", "j" + i);
                failed.add(false);
            } catch (Exception e) {
                failed.add(true);
            }
        }
        return failed;
    }
}
