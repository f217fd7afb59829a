package io.edgestop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    @Test
    void ticksAreUtimePlusStimeWhateverTheThreadName() {
        // fields after the name: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (rocksdb:low) x) S 1 1 1 0 -1 4194368 10 0 0 0 1234 56 0 0 20 0 1 0 100 0 0";
        assertEquals(1290, ThreadCpu.ticks(stat));
    }

    @Test
    void threadsGoToTheirGroups() {
        assertEquals("stream threads", ThreadCpu.group("bench-1a2b3c-0f6e-4c1d-StreamThread-1"));
        assertEquals("global thread", ThreadCpu.group("bench-1a2b3c-0f6e-4c1d-GlobalStreamThread"));
        assertEquals("producer/consumer I/O",
                ThreadCpu.group("kafka-producer-network-thread | bench-1a2b3c-0f6e-4c1d-StreamThread-1-producer"));
        assertEquals("RocksDB (rocksdb:*)", ThreadCpu.group("rocksdb:low"));
        assertEquals("GC", ThreadCpu.group("GC Thread#0"));
        assertEquals("GC", ThreadCpu.group("G1 Conc#0"));
        assertEquals("JIT (C1/C2)", ThreadCpu.group("C2 CompilerThread0"));
        assertEquals("other", ThreadCpu.group("main"));
        assertEquals("adapter: HTTP server", ThreadCpu.benchGroup("edgestop-adapter-http-3"));
        assertEquals("adapter: result listener", ThreadCpu.benchGroup("edgestop-adapter-results-0f6e"));
        assertEquals("load: HTTP callers", ThreadCpu.benchGroup("bench-http-caller-17"));
        assertEquals("broker", ThreadCpu.benchGroup("data-plane-kafka-request-handler-0"));
        assertEquals("Kafka clients I/O (adapter, workers)", ThreadCpu.benchGroup("kafka-producer-network-thread | edgestop-adapter"));
        assertEquals("GC", ThreadCpu.benchGroup("GC Thread#0"));
    }

    @Test
    void exitedThreadsAreTheProcessTicksNoThreadHolds() {
        ThreadCpu.Sample before = new ThreadCpu.Sample(Map.of(1L, 100L, 2L, 50L), Map.of(1L, "x-StreamThread-1", 2L, "rocksdb:low"), 200);
        ThreadCpu.Sample after = new ThreadCpu.Sample(Map.of(1L, 180L), Map.of(1L, "x-StreamThread-1"), 300);
        ThreadCpu.Usage u = ThreadCpu.usage("p", 100, 1.0, before, after);
        assertEquals(0.8, u.cpuSeconds().get("stream threads"), 1e-9);
        assertEquals(0.2, u.cpuSeconds().get("exited during the phase"), 1e-9);
        assertEquals(1.0, u.processSeconds(), 1e-9);
    }

    @Test
    void aJavaThreadOfARealProcessIsNamedInFullAndItsCpuCounts() throws Exception {
        AtomicBoolean spin = new AtomicBoolean(true);
        Thread busy = new Thread(() -> {
            long x = 0;
            while (spin.get()) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        }, "bench-0123456789-abcdef-StreamThread-1"); // far longer than the kernel's 15-character comm
        long pid = ProcessHandle.current().pid();
        ThreadCpu.Sample before = ThreadCpu.sample(pid);
        busy.start();
        long cpuNanos = 0;
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        while (cpuNanos < 300_000_000L) { // until the kernel has charged it 0.3 s of CPU, however loaded the machine
            Thread.onSpinWait();
            long t = bean.getThreadCpuTime(busy.getId());
            cpuNanos = t < 0 ? cpuNanos : t;
        }
        ThreadCpu.Sample after = ThreadCpu.sample(pid);
        spin.set(false);
        busy.join();
        assertTrue(after.names().containsValue("bench-0123456789-abcdef-StreamThread-1"), after.names().values().toString());
        ThreadCpu.Usage u = ThreadCpu.usage("p", 1, 1.0, before, after);
        assertTrue(u.cpuSeconds().get("stream threads") >= 0.2, u.toString());
    }
}
