package io.edgestop.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * What a broker's own log files say about a record: the producer id, epoch and sequence number it was
 * appended with. A consumer does not see these; they tell a batch the broker appended twice (the same
 * producer's same sequence numbers) from two sends (new sequence numbers). Reads the segment files of a
 * broker of this machine, read-only, while it runs, with Kafka's own segment reader ({@code FileRecords},
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

    private Map<Long, String> read(TopicPartition tp) {
        Map<Long, String> byOffset = new HashMap<>();
        String name = tp.topic() + "-" + tp.partition();
        try (Stream<Path> dirs = Files.walk(dataDir, 3)) {
            for (Path dir : dirs.filter(d -> Files.isDirectory(d) && d.getFileName().toString().equals(name)).toList()) {
                List<Path> segments;
                try (Stream<Path> files = Files.list(dir)) {
                    segments = files.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList();
                }
                for (Path segment : segments) {
                    try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                        for (RecordBatch batch : records.batches()) {
                            if (batch.isControlBatch() || batch.producerId() == RecordBatch.NO_PRODUCER_ID) {
                                continue;
                            }
                            for (long o = batch.baseOffset(); o <= batch.lastOffset(); o++) {
                                long sequence = batch.baseSequence() == RecordBatch.NO_SEQUENCE ? -1 : batch.baseSequence() + (o - batch.baseOffset());
                                byOffset.put(o, "producer " + batch.producerId() + " epoch " + batch.producerEpoch() + " sequence " + sequence);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byOffset;
    }
}
