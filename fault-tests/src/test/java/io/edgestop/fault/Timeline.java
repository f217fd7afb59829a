package io.edgestop.fault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * When a component made progress, sampled in the background (every poll of the results topic, at most
 * 300 ms apart) while a fault runs: decisions arriving on the results topic (the orchestrator), and a counter that grows when the
 * component works (the edge workers' directives handled). From these: the longest time without
 * progress, and how long after a fault ended progress resumed.
 */
final class Timeline implements AutoCloseable {

    final ConcurrentLinkedQueue<Long> decisionTimes = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> workerTimes = new ConcurrentLinkedQueue<>();
    /** When decisions of commands sent at or after {@link #decideLaterFrom} were seen: what a cut must stop. */
    final ConcurrentLinkedQueue<Long> laterDecisionTimes = new ConcurrentLinkedQueue<>();
    /**
     * Wall-clock millis: decisions of commands sent from then on also go to {@link #laterDecisionTimes}. A
     * transaction committed just before a cut can become visible during it; its commands are older.
     */
    volatile long decideLaterFrom = Long.MAX_VALUE;
    /** How old (wall clock minus the command's event time) the newest decision of interest was when it was seen: the backlog. */
    volatile long newestDecisionAgeMillis = -1;
    /** The oldest any decision of interest was when it was seen: the deepest backlog (its command's wait). */
    volatile long oldestDecisionAgeMillis = -1;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param ofInterest which request ids' decisions count (those of the current phase)
     * @param worker     a counter that grows with the workers' progress
     */
    Timeline(String bootstrap, Scenario s, Predicate<String> ofInterest, LongSupplier worker) {
        thread = new Thread(() -> {
            long lastWorker = worker.getAsLong();
            try (Outputs.Tail tail = new Outputs.Tail(bootstrap, s.topics.stopResults())) {
                while (running) {
                    for (ConsumerRecord<String, byte[]> rec : tail.poll()) {
                        StopResult r = AvroSerdes.stopResult().deserialize(rec.topic(), rec.value());
                        if (Verifier.isDecision(r) && ofInterest.test(r.getRequestId())) {
                            long seen = System.nanoTime();
                            decisionTimes.add(seen);
                            newestDecisionAgeMillis = System.currentTimeMillis() - r.getEventTime().toEpochMilli();
                            oldestDecisionAgeMillis = Math.max(oldestDecisionAgeMillis, newestDecisionAgeMillis);
                            if (r.getEventTime().toEpochMilli() >= decideLaterFrom) {
                                laterDecisionTimes.add(seen);
                            }
                        }
                    }
                    long w = worker.getAsLong();
                    if (w > lastWorker) {
                        workerTimes.add(System.nanoTime());
                        lastWorker = w;
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    System.out.println("[timeline] stopped: " + e);
                }
            }
        }, "fault-timeline");
        thread.setDaemon(true);
        thread.start();
    }

    /** The longest interval between progress events in [from, to] (from and to count as events). */
    static double longestGapSeconds(Collection<Long> times, long from, long to) {
        List<Long> ts = new ArrayList<>();
        ts.add(from);
        times.stream().filter(t -> t > from && t < to).sorted().forEach(ts::add);
        ts.add(to);
        long max = 0;
        for (int i = 1; i < ts.size(); i++) {
            max = Math.max(max, ts.get(i) - ts.get(i - 1));
        }
        return max / 1e9;
    }

    /** Seconds from {@code t} to the first progress event after it, or -1 if there was none. */
    static double firstAfterSeconds(Collection<Long> times, long t) {
        return times.stream().filter(x -> x > t).min(Long::compare).map(x -> (x - t) / 1e9).orElse(-1.0);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
