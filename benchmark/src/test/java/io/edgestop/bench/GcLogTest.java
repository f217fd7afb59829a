package io.edgestop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {

    @Test
    void eachReadGivesTheLatestHeapAndTheLongestPauseSinceTheLastOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("orchestrator-gc.log");
        GcLog log = new GcLog(file);
        assertEquals("-Xlog:gc:file=" + file.toAbsolutePath(), log.option());
        assertEquals(new GcLog.Stretch(-1, -1, 0, Double.NaN), log.next(), "no log yet");
        Files.writeString(file, """
                [0.012s][info][gc] Using G1
                [10.001s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 150M->80M(226M) 5.123ms
                [12.500s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 160M->85M(226M) 12.900ms
                [13.000s][info][gc] GC(2) Concurrent Mark Cycle 45.100ms
                [13.100s][info][gc] GC(2) Pause Remark 120M->118M(226M) 3.2ms
                [20.000s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 170M->90M(240M) 7.5""");
        assertEquals(new GcLog.Stretch(118, 226, 3, 12.9), log.next(), "a line being written waits for its newline");

        assertEquals(new GcLog.Stretch(118, 226, 0, Double.NaN), log.next(), "nothing new: the heap as last seen");

        Files.writeString(file, "ms\n[25.000s][info][gc] GC(4) Pause Full (System.gc()) 150M->70M(240M) 95.0ms\n",
                StandardOpenOption.APPEND);
        assertEquals(new GcLog.Stretch(70, 240, 2, 95.0), log.next());
    }
}
