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
}
