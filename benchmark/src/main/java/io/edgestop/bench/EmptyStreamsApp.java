package io.edgestop.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import io.edgestop.kafka.KafkaClientSettings;
import io.edgestop.launcher.JvmDefaults;
import io.edgestop.orchestrator.runtime.OrchestratorConfig;
import io.edgestop.orchestrator.topology.CommitPacing;

/**
 * The yardsticks for the orchestrator: Kafka Streams applications with the orchestrator's Streams
 * settings (processing guarantee, commit intervals and their pacing, threads, {@code kafka.*} overrides)
 * but no work in them: no state stores, no joins, one output record per input.
 * <ul>
 *   <li>{@link Shape#ONE_HOP}: {@code stream(in).to(out)}, one exactly-once hop. What it reaches on a
 *       broker is the most any exactly-once Streams topology can reach there.</li>
 *   <li>{@link Shape#ONE_HOP_X5}: one exactly-once hop writing 5 records per input, one to each of 5
 *       topics ({@code OUT}, {@code OUT-2} .. {@code OUT-5}), as a decision writes 5 (result, audit,
 *       directive, two changelogs): Kafka's own cost of a decision's records, the yardstick of the same
 *       shape.</li>
 *   <li>{@link Shape#TWO_HOP}: records re-keyed through a repartition topic, then written out (the
 *       orchestrator's shape before it became one hop): two exactly-once hops.</li>
 * </ul>
 *
 * <p>Run in a JVM of its own by the benchmark: {@code EmptyStreamsApp one-hop|one-hop-x5|two-hop IN OUT key=value...}.
 */
public final class EmptyStreamsApp {

    static final String RUNNING = "empty streams app running";

    enum Shape {
        ONE_HOP("one-hop", 1), ONE_HOP_X5("one-hop-x5", 5), TWO_HOP("two-hop", 1);

        final String arg;
        /** Records written per input, one to each output topic. */
        final int fanOut;

        Shape(String arg, int fanOut) {
            this.arg = arg;
            this.fanOut = fanOut;
        }

        /** The output topics: {@code out}, then {@code out-2} .. {@code out-N} for a fan-out of N. */
        List<String> outputs(String out) {
            List<String> topics = new ArrayList<>(List.of(out));
            for (int i = 2; i <= fanOut; i++) {
                topics.add(out + "-" + i);
            }
            return topics;
        }

        static Shape of(String arg) {
            for (Shape s : values()) {
                if (s.arg.equals(arg)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("shape must be one-hop, one-hop-x5 or two-hop: " + arg);
        }
    }

    private EmptyStreamsApp() {
    }

    static Topology build(Shape shape, String in, String out, OrchestratorConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        var stream = paced(builder.stream(in, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())), config);
        if (shape == Shape.TWO_HOP) {
            stream = paced(stream
                    .selectKey((k, v) -> v) // the value (unique per record) as the new key, like accountId -> clusterId/jobId
                    .repartition(Repartitioned.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("rekey")), config);
        }
        for (String topic : shape.outputs(out)) {
            stream.to(topic, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        }
        return builder.build();
    }

    /** The records as they come, their commits paced as the orchestrator's ({@link CommitPacing}). */
    private static KStream<byte[], byte[]> paced(KStream<byte[], byte[]> stream, OrchestratorConfig config) {
        return stream.processValues(() -> new FixedKeyProcessor<byte[], byte[], byte[]>() {
            private final CommitPacing pacing = new CommitPacing(config.commitIntervals());
            private FixedKeyProcessorContext<byte[], byte[]> context;

            @Override
            public void init(FixedKeyProcessorContext<byte[], byte[]> context) {
                this.context = context;
            }

            @Override
            public void process(FixedKeyRecord<byte[], byte[]> record) {
                context.forward(record);
                pacing.processed(context, record.timestamp());
            }
        });
    }

    public static void main(String[] args) throws InterruptedException {
        JvmDefaults.apply(); // as the orchestrator's main does
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            settings.put(kv[0], kv[1]);
        }
        settings.putAll(KafkaClientSettings.fromEnvironment(System.getenv(), OrchestratorProcess.ENV_PREFIX).asComponentSettings());
        OrchestratorConfig config = OrchestratorConfig.fromMap(settings);
        KafkaStreams streams = new KafkaStreams(build(Shape.of(args[0]), args[1], args[2], config), config.streamsProperties());
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close();
            closed.countDown();
        }));
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                System.out.println(RUNNING);
            }
        });
        streams.start();
        closed.await();
    }
}
