package io.edgestop.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

import io.edgestop.orchestrator.OrchestratorConfig;

/**
 * The yardstick for the orchestrator: a Kafka Streams application of the same shape (records
 * keyed one way, re-keyed through a repartition topic, written out) with the same Streams
 * settings (processing guarantee, commit interval, threads, {@code kafka.*} overrides) but no
 * work in it: no state stores, no joins, one output record per input. What it reaches on the
 * same broker is the most any two-hop exactly-once Streams topology can reach there.
 *
 * <p>Run in a JVM of its own by the benchmark: {@code EmptyStreamsApp IN OUT key=value...}.
 */
public final class EmptyStreamsApp {

    private EmptyStreamsApp() {
    }

    static Topology build(String in, String out) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .selectKey((k, v) -> v) // the value (unique per record) as the new key, like accountId -> clusterId/jobId
                .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("rekey"))
                .to(out, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        OrchestratorConfig config = OrchestratorConfig.fromMap(settings);
        KafkaStreams streams = new KafkaStreams(build(args[0], args[1]), config.streamsProperties());
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            closed.countDown();
        }));
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                System.out.println("empty streams app running");
            }
        });
        streams.start();
        closed.await();
    }
}
