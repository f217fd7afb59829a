package io.edgestop.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * What a broker's own log files say about records: the producer id, epoch and sequence number each was
 * appended with, and the transaction markers between them. A consumer sees neither. Reads the segment files
 * of a broker of this machine, read-only, while it runs, with Kafka's own segment reader ({@code FileRecords},
 * internal to kafka-clients, what {@code kafka-dump-log.sh} prints from).
 */
final class BrokerLog {

    private final Path dataDir;
    private final Map<TopicPartition, Map<Long, String>> partitions = new HashMap<>();

    /** The broker whose data directory is {@code dataDir}. */
    BrokerLog(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** "producer P epoch E sequence S" of the record at this offset; null when no idempotent producer wrote it. */
    String appendedAs(String topic, int partition, long offset) {
        return partitions.computeIfAbsent(new TopicPartition(topic, partition), this::read).get(offset);
    }

    /**
     * Transactions left without their marker on a partition: a producer's transactional records of epoch E
     * followed, in the partition's log, by its records of a later epoch with no marker between them, or by a
     * marker of an epoch above E + 1. With transaction version 2 a transaction's marker carries the epoch it
     * ends with, E + 1 (whether committed, aborted on time-out or fenced), and a producer's next transaction
     * cannot write to a partition before the previous one's marker is there; so either happens only when the
     * transaction coordinator completed a transaction without writing all its markers, as a single broker
     * restarted after a SIGKILL does (docs/reliability.md, "A transaction completed without all its
     * markers"). The marker that comes next then commits or aborts those records, whatever their own
     * transaction's outcome was.
     */
    List<String> transactionsWithoutMarkers() {
        List<String> found = new ArrayList<>();
        for (Path dir : partitionDirs()) {
            Map<Long, long[]> open = new HashMap<>(); // producer id -> {epoch, first offset} of its records since its last marker
            forEachBatch(dir, batch -> {
                if (!batch.isTransactional()) {
                    return;
                }
                long producer = batch.producerId();
                long[] since = open.get(producer);
                if (batch.isControlBatch()) {
                    if (since != null && batch.producerEpoch() > since[0] + 1) {
                        found.add(dir.getFileName() + ": producer " + producer + " epoch " + since[0] + " from offset " + since[1]
                                + " without a marker before the marker of epoch " + batch.producerEpoch() + " at offset " + batch.baseOffset());
                    }
                    open.remove(producer);
                } else if (since == null) {
                    open.put(producer, new long[] {batch.producerEpoch(), batch.baseOffset()});
                } else if (batch.producerEpoch() > since[0]) {
                    found.add(dir.getFileName() + ": producer " + producer + " epoch " + since[0] + " from offset " + since[1]
                            + " without a marker before epoch " + batch.producerEpoch() + " at offset " + batch.baseOffset());
                    open.put(producer, new long[] {batch.producerEpoch(), batch.baseOffset()});
                }
            });
        }
        return found;
    }

    private Map<Long, String> read(TopicPartition tp) {
        Map<Long, String> byOffset = new HashMap<>();
        String name = tp.topic() + "-" + tp.partition();
        for (Path dir : partitionDirs()) {
            if (!dir.getFileName().toString().equals(name)) {
                continue;
            }
            forEachBatch(dir, batch -> {
                if (batch.isControlBatch() || batch.producerId() == RecordBatch.NO_PRODUCER_ID) {
                    return;
                }
                for (long o = batch.baseOffset(); o <= batch.lastOffset(); o++) {
                    long sequence = batch.baseSequence() == RecordBatch.NO_SEQUENCE ? -1 : batch.baseSequence() + (o - batch.baseOffset());
                    byOffset.put(o, "producer " + batch.producerId() + " epoch " + batch.producerEpoch() + " sequence " + sequence);
                }
            });
        }
        return byOffset;
    }

    /** The directory of every partition of the broker (its log directory's subdirectories). */
    private List<Path> partitionDirs() {
        try (Stream<Path> dirs = Files.walk(dataDir, 3)) {
            return dirs.filter(d -> Files.isDirectory(d) && d.getFileName().toString().matches(".+-\\d+")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void forEachBatch(Path partitionDir, Consumer<RecordBatch> action) {
        try (Stream<Path> files = Files.list(partitionDir)) {
            for (Path segment : files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList()) {
                FileRecords records = FileRecords.open(segment.toFile(), false);
                try {
                    records.batches().forEach(action);
                } finally {
                    // not records.close(): it trims the file to its size when opened, and the broker may have appended since
                    records.channel().close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
