package io.edgestop.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;

import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrTopTest {

    @Test
    void aMethodThatBurnsCpuIsAmongTheTopFramesOfARealRecording(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spin.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
            recording.start();
            spinCpu(1_000_000_000L);
            recording.stop();
            recording.dump(file);
        }
        String table = JfrTop.read(file).table(25);
        assertTrue(table.contains("JfrTopTest.spinCpu"), table);
        assertTrue(table.contains("top 25 by self") && table.contains("top 25 by total"), table);
    }

    /**
     * Burns this thread's CPU until the kernel has charged it {@code nanos}, however loaded the machine. The clock
     * is read only every few milliseconds of work: reading a thread's CPU time is a system call that, in some
     * sandboxes, costs more than 10,000 iterations, and the sampler takes Java samples only of threads in Java
     * code (a CI run once recorded no Java sample at all).
     */
    private static long spinCpu(long nanos) {
        var bean = ManagementFactory.getThreadMXBean();
        long start = bean.getCurrentThreadCpuTime();
        long x = 0;
        while (bean.getCurrentThreadCpuTime() - start < nanos) {
            for (int i = 0; i < 5_000_000; i++) {
                x += i * 31L ^ x;
            }
        }
        return x;
    }
}
