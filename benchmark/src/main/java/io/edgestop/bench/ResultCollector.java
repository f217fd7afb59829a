package io.edgestop.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * Reads the results topic from its end and matches each decision (ACCEPTED or REJECTED) to the
 * command that asked for it, timing command-sent to result-received. With completions tracked
 * ({@link #reset(boolean)}), an accepted command is also timed from its send to its COMPLETED
 * result (the workers stopped the job and the orchestrator read their report).
 */
final class ResultCollector implements AutoCloseable {

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> awaitingCompletion = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> byCode = new ConcurrentHashMap<>();
    private final AtomicLong decided = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private volatile Latencies latencies = new Latencies();
    private volatile Latencies completions = new Latencies();
    private final SendTimeline timeline = new SendTimeline();
    private volatile boolean trackCompletions;
    private volatile long lastResultNanos;
    private volatile long lastCompletionNanos;
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
                        accept(r.value(), System.nanoTime());
                    }
                }
            }
        }, "result-collector");
        thread.setDaemon(true);
        thread.start();
    }

    private void accept(StopResult result, long now) {
        Outcome outcome = result.getOutcome();
        if (outcome == Outcome.COMPLETED || outcome == Outcome.TIMED_OUT) {
            Long sent = awaitingCompletion.remove(result.getRequestId());
            if (sent != null) {
                if (outcome == Outcome.COMPLETED) {
                    completions.recordNanos(now - sent);
                    completed.incrementAndGet();
                    lastCompletionNanos = now;
                } else {
                    timedOut.incrementAndGet();
                }
            }
            return;
        }
        if (outcome != Outcome.ACCEPTED && outcome != Outcome.REJECTED) {
            return;
        }
        Long sent = sentAt.remove(result.getRequestId());
        if (sent == null) {
            return; // a command of an earlier phase or another client
        }
        latencies.recordNanos(now - sent);
        timeline.record(sent, now - sent);
        lastResultNanos = now;
        byCode.computeIfAbsent(result.getCode() == null ? "OK" : result.getCode(), k -> new AtomicLong()).incrementAndGet();
        decided.incrementAndGet();
        if (trackCompletions && outcome == Outcome.ACCEPTED) {
            awaitingCompletion.put(result.getRequestId(), sent);
        }
    }

    void sent(String requestId, long nanos) {
        sentAt.put(requestId, nanos);
    }

    /** Starts a new measurement of decisions only: fresh histograms and counters. */
    void reset() {
        reset(false);
    }

    /** Starts a new measurement; with {@code completions}, accepted commands are also timed to COMPLETED. */
    void reset(boolean completions) {
        latencies = new Latencies();
        this.completions = new Latencies();
        timeline.clear();
        decided.set(0);
        completed.set(0);
        timedOut.set(0);
        byCode.clear();
        awaitingCompletion.clear();
        trackCompletions = completions;
    }

    long decided() {
        return decided.get();
    }

    long completed() {
        return completed.get();
    }

    long timedOut() {
        return timedOut.get();
    }

    long lastResultNanos() {
        return lastResultNanos;
    }

    long lastCompletionNanos() {
        return lastCompletionNanos;
    }

    /** Command sent -> decision received. */
    Latencies latencies() {
        return latencies;
    }

    /** Command sent -> decision received, each with its send time. */
    SendTimeline timeline() {
        return timeline;
    }

    /** Command sent -> COMPLETED received, for accepted commands (when tracked). */
    Latencies completions() {
        return completions;
    }

    Map<String, Long> codes() {
        Map<String, Long> m = new TreeMap<>();
        byCode.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    boolean awaitDecided(long expected, Duration timeout) throws InterruptedException {
        return await(decided, expected, timeout);
    }

    boolean awaitCompleted(long expected, Duration timeout) throws InterruptedException {
        return await(completed, expected, timeout);
    }

    private static boolean await(AtomicLong counter, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling a counter fed by another thread; not a test
        }
        return counter.get() >= expected;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
    }
}
