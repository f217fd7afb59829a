package io.edgestop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogScanTest {

    @Test
    void countsWarnAndErrorByLoggerApartBeforeAndAfterTheMark(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("orchestrator.log");
        Files.write(log, List.of(
                "10:00:00.000 WARN  org.apache.kafka.streams.StreamsConfig - start-up noise",
                "orchestrator RUNNING (bench on localhost:1)"));
        long mark = LogScan.lines(log);
        Files.write(log, List.of(
                "10:00:01.000 WARN  org.apache.kafka.clients.producer.internals.Sender - retrying. Error: CONCURRENT_TRANSACTIONS",
                "10:00:02.000 ERROR org.apache.kafka.streams.processor.internals.TaskManager - task corrupted: TaskCorruptedException x",
                "10:00:02.001 INFO  io.edgestop.orchestrator - not counted",
                "  at a.stack.Frame(Frame.java:1)"), java.nio.file.StandardOpenOption.APPEND);

        LogScan scan = LogScan.of(log, 1, mark);

        assertEquals(2, scan.measured());
        String report = scan.report("orchestrator", log);
        assertTrue(report.contains("       1        0  WARN org.apache.kafka.streams.StreamsConfig"), report);
        assertTrue(report.contains("       0        1  ERROR org.apache.kafka.streams.processor.internals.TaskManager"
                + " [TaskCorruptedException]"), report);
        assertTrue(report.contains("       0        1  WARN org.apache.kafka.clients.producer.internals.Sender"
                + " [CONCURRENT_TRANSACTIONS]"), report);
        assertTrue(report.contains("first 1 of the measured phases:\n    10:00:01.000 WARN"), report);
        assertFalse(report.contains("not counted"), report);
    }
}
