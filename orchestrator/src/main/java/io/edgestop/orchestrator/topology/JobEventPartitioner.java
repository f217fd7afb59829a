package io.edgestop.orchestrator.topology;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.streams.processor.StreamPartitioner;

import io.edgestop.schema.JobEvent;
import io.edgestop.schema.JobEventType;

/**
 * Partitions the job-events repartition topic like the command topic: by accountId with the
 * default partitioner (what the adapter and every other producer of stop-commands use), so an
 * account's job events meet its commands in one task. A TICK goes to every partition, so stream
 * time moves on in every task.
 */
final class JobEventPartitioner implements StreamPartitioner<String, JobEvent> {

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, JobEvent event, int numPartitions) {
        if (event != null && event.getType() == JobEventType.TICK) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
        return Optional.empty(); // the default partitioner, on the serialized accountId
    }
}
