package io.edgestop.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class EdgeWorkerConfigTest {

    static Map<String, String> settings(String clusterId) {
        return Map.of("bootstrap.servers", "localhost:9092", "cluster.id", clusterId);
    }

    @Test
    void aClusterIdMustBeAbleToNameItsDirectiveTopic() {
        assertEquals("edge-hz_1.a", EdgeWorkerConfig.fromMap(settings("edge-hz_1.a")).clusterId());
        for (String bad : new String[] {"edge/1", "edge 1", "", "ü", "x".repeat(201)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> EdgeWorkerConfig.fromMap(settings(bad)), bad);
            assertTrue(e.getMessage().contains("cluster.id"), e.getMessage());
        }
    }

    @Test
    void defaultsAndRefusedNumbersAreNamed() throws Exception {
        EdgeWorkerConfig c = EdgeWorkerConfig.fromMap(settings("c1"));
        assertEquals(3, c.stopMaxAttempts());
        assertEquals(-1, c.adminPort(), "embedded: no admin port unless asked");
        assertEquals("edgestop.edge-worker.c1", c.groupId());
        assertTrue(EdgeWorkerConfig.definition().names().containsAll(SimulatedJobController.defaults().keySet()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EdgeWorkerConfig.fromMap(
                Map.of("bootstrap.servers", "k", "cluster.id", "c1", "poll.timeout.ms", "soon")));
        assertEquals("Invalid value soon for configuration poll.timeout.ms: Not a number of type LONG", e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> JobController.fromSettings(Map.of()));
        assertTrue(none.getMessage().startsWith("job.controller is required"), none.getMessage());
        assertTrue(JobController.fromSettings(Map.of(EdgeWorkerConfig.JOB_CONTROLLER, JobController.SIMULATED))
                instanceof SimulatedJobController);
        assertThrows(ClassNotFoundException.class,
                () -> JobController.fromSettings(Map.of(EdgeWorkerConfig.JOB_CONTROLLER, "no.such.Controller")));
    }
}
