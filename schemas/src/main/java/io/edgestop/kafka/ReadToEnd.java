package io.edgestop.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reading a consumer's assigned partitions up to the ends they had when the read began: a table
 * rebuilt from a compacted topic, a stream replayed as recorded, a tool's catch-up before it
 * follows. The ends are the consumer's end offsets, so with {@code read_committed} the last stable
 * offset (an open transaction's records come later, once decided).
 *
 * <p>Timeouts: {@code timeout} bounds the end offsets lookup, each position lookup and every stretch
 * in which no partition moves on; then the read gives up with Kafka's {@link TimeoutException}. A
 * long read that keeps moving never times out. {@code WakeupException} from {@code wakeup()} passes
 * through, as do the sink's own exceptions.
 */
public final class ReadToEnd {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<TopicPartition, Long> ends;
    private final Duration timeout;

    private ReadToEnd(Map<TopicPartition, Long> ends, Duration timeout) {
        this.ends = Map.copyOf(ends);
        this.timeout = timeout;
    }

    /**
     * Takes the end offsets of the partitions now assigned to {@code consumer} (none assigned: nothing
     * to read). The assignment must stay as it is until the read is done.
     */
    public static ReadToEnd of(Consumer<?, ?> consumer, Duration timeout) {
        Set<TopicPartition> assigned = consumer.assignment();
        return new ReadToEnd(assigned.isEmpty() ? Map.of() : consumer.endOffsets(assigned, timeout), timeout);
    }

    /**
     * Hands every record of the consumer's assigned partitions from where each is now up to the end it
     * has now to {@code sink}, in offset order per partition, and returns how many it handed. An empty
     * partition, or one already at its end, is not polled: an empty topic returns 0 at once.
     */
    public static <K, V> long read(Consumer<K, V> consumer, Duration timeout,
                                   java.util.function.Consumer<ConsumerRecord<K, V>> sink) {
        return of(consumer, timeout).read(consumer, sink);
    }

    /** The end offset of each partition, as taken. */
    public Map<TopicPartition, Long> ends() {
        return ends;
    }

    /** Whether {@code r} lies before its partition's end, i.e. existed when the ends were taken. */
    public boolean includes(ConsumerRecord<?, ?> r) {
        return r.offset() < end(new TopicPartition(r.topic(), r.partition()));
    }

    /** Whether the consumer's position in {@code partition} is at its end or beyond. */
    public boolean reached(Consumer<?, ?> consumer, TopicPartition partition) {
        return consumer.position(partition, timeout) >= end(partition);
    }

    /** Whether the consumer has read every partition to its end: caught up with what existed when the ends were taken. */
    public boolean reached(Consumer<?, ?> consumer) {
        return ends.keySet().stream().allMatch(tp -> reached(consumer, tp));
    }

    /**
     * Hands every record from the consumer's positions to these ends to {@code sink}; see
     * {@link #read(Consumer, Duration, java.util.function.Consumer)}. Records fetched beyond an end are
     * not handed: the partition is set back to the first of them, so whoever goes on reading gets them. While
     * it reads, a partition at its end is paused (resumed on return); a partition the caller paused is not
     * fetched: resume it first, or the read times out.
     */
    public <K, V> long read(Consumer<K, V> consumer, java.util.function.Consumer<ConsumerRecord<K, V>> sink) {
        Map<TopicPartition, Long> open = new HashMap<>();
        for (TopicPartition tp : ends.keySet()) {
            long position = consumer.position(tp, timeout);
            if (position < end(tp)) {
                open.put(tp, position);
            }
        }
        // a partition read to its end is paused until the read is done: no fetching of what lies beyond
        Set<TopicPartition> paused = new HashSet<>(ends.keySet());
        paused.removeAll(open.keySet());
        paused.removeAll(consumer.paused());
        consumer.pause(paused);
        try {
            long handed = 0;
            long movedAt = System.nanoTime();
            while (!open.isEmpty()) {
                ConsumerRecords<K, V> records = consumer.poll(POLL);
                for (TopicPartition tp : records.partitions()) {
                    long end = end(tp);
                    for (ConsumerRecord<K, V> r : records.records(tp)) {
                        if (r.offset() >= end) {
                            consumer.seek(tp, r.offset()); // written after the ends were taken: left for whoever reads on
                            break;
                        }
                        sink.accept(r);
                        handed++;
                    }
                }
                boolean moved = false;
                for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    long position = consumer.position(e.getKey(), timeout);
                    if (position >= end(e.getKey())) {
                        it.remove();
                        consumer.pause(List.of(e.getKey()));
                        paused.add(e.getKey());
                        moved = true;
                    } else if (position > e.getValue()) {
                        e.setValue(position);
                        moved = true;
                    }
                }
                if (moved) {
                    movedAt = System.nanoTime();
                } else if (System.nanoTime() - movedAt > timeout.toNanos()) {
                    throw new TimeoutException("reading to the end: no progress for " + timeout.toMillis() + " ms; short of the end: "
                            + open.keySet().stream().map(tp -> tp + " at " + open.get(tp) + " of " + end(tp)).sorted().toList());
                }
            }
            return handed;
        } finally {
            consumer.resume(paused);
        }
    }

    private long end(TopicPartition partition) {
        Long end = ends.get(partition);
        if (end == null) {
            throw new IllegalStateException(partition + " was assigned after the ends were taken");
        }
        return end;
    }
}
