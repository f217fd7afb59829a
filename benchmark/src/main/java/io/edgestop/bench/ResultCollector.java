package io.edgestop.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * Reads the results topic from its end and matches each decision to the command that asked for
 * it, timing command-sent to result-received. COMPLETED/TIMED_OUT follow-ups are not decisions.
 */
final class ResultCollector implements AutoCloseable {

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byCode = new ConcurrentHashMap<>();
    private final AtomicLong decided = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private volatile Latencies latencies = new Latencies();
    private volatile long lastResultNanos;
    private final Thread thread;
    private volatile boolean running = true;

    ResultCollector(Bench.Env env, String resultsTopic) {
        KafkaConsumer<String, StopResult> consumer = new KafkaConsumer<>(env.consumerProps(), new StringDeserializer(),
                AvroSerdes.stopResult());
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo p : consumer.partitionsFor(resultsTopic)) {
            tps.add(new TopicPartition(resultsTopic, p.partition()));
        }
        consumer.assign(tps);
        consumer.seekToEnd(tps);
        tps.forEach(consumer::position); // resolve now, so nothing sent after this is missed
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, StopResult> r : consumer.poll(Duration.ofMillis(50))) {
                        StopResult result = r.value();
                        if (result.getOutcome() != Outcome.ACCEPTED && result.getOutcome() != Outcome.REJECTED) {
                            continue;
                        }
                        Long sent = sentAt.remove(result.getRequestId());
                        if (sent == null) {
                            duplicates.incrementAndGet();
                            continue;
                        }
                        long now = System.nanoTime();
                        latencies.recordNanos(now - sent);
                        lastResultNanos = now;
                        byCode.computeIfAbsent(result.getCode() == null ? "OK" : result.getCode(), k -> new AtomicLong())
                                .incrementAndGet();
                        decided.incrementAndGet();
                    }
                }
            }
        }, "result-collector");
        thread.setDaemon(true);
        thread.start();
    }

    void sent(String requestId, long nanos) {
        sentAt.put(requestId, nanos);
    }

    /** Starts a new measurement: fresh histogram and counters. */
    void reset() {
        latencies = new Latencies();
        decided.set(0);
        byCode.clear();
    }

    long decided() {
        return decided.get();
    }

    long unanswered() {
        return sentAt.size();
    }

    long unmatched() {
        return duplicates.get();
    }

    long lastResultNanos() {
        return lastResultNanos;
    }

    Latencies latencies() {
        return latencies;
    }

    Map<String, Long> codes() {
        Map<String, Long> m = new java.util.TreeMap<>();
        byCode.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    boolean awaitDecided(long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (decided.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling a counter fed by another thread; not a test
        }
        return decided.get() >= expected;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
