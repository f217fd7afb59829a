package io.edgestop.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the broker alone gives on this machine, in the same run: the yardstick for the pipeline. */
final class RawKafkaBench {

    private final Bench.Env env;

    Bench.Env env() {
        return env;
    }

    RawKafkaBench(Bench.Env env) {
        this.env = env;
    }

    /** Producer flat out, records of the given size, same producer settings as the pipeline's. */
    Bench.Row producerThroughput(String topic, int records, int recordBytes) throws Exception {
        byte[] value = new byte[recordBytes];
        new SplittableRandom(1).nextBytes(value);
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(env.producerProps(5), new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, Workload.account(i % 10_000), value), (m, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return Bench.Row.throughput("raw producer, flat out (" + recordBytes + " B, acks=all)", records - failed.get(),
                records / seconds);
    }

    /** Produce-then-consume round trip at a fixed rate: the floor for any Kafka request/reply latency. */
    Bench.Row roundTrip(String topic, int partitions, double rate, int records, int recordBytes) throws Exception {
        return roundTrip("raw produce->consume round trip @" + (int) rate + "/s", topic, topic, partitions, rate, records,
                recordBytes);
    }

    /**
     * Records produced to {@code in} (at {@code rate} per second, 0 = flat out) and read back from {@code out} with
     * read_committed: the latency of each, and the rate at which they came out.
     */
    Bench.Row roundTrip(String name, String in, String out, int partitions, double rate, int records, int recordBytes)
            throws Exception {
        Latencies latencies = new Latencies();
        SendTimeline timeline = new SendTimeline();
        AtomicLong received = new AtomicLong();
        AtomicLong lastReceived = new AtomicLong();
        Properties cp = env.consumerProps();
        cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        long start;
        long jit;
        Pacer pacer = new Pacer(rate);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(env.producerProps(rate > 0 ? 0 : 5), new StringSerializer(),
                     new ByteArraySerializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(out, p));
            }
            consumer.assign(tps);
            consumer.seekToEnd(tps);
            tps.forEach(consumer::position);
            producer.partitionsFor(in); // a new producer's metadata fetch is not the system's latency
            Thread reader = new Thread(() -> {
                while (received.get() < records && !Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        long due = ByteBuffer.wrap(r.value()).getLong();
                        latencies.recordNanos(now - due);
                        timeline.record(due, now - due);
                        received.incrementAndGet();
                        lastReceived.set(now);
                    }
                }
            }, "round-trip-reader");
            reader.start();
            byte[] filler = new byte[Math.max(16, recordBytes)];
            start = System.nanoTime();
            jit = ThreadCpu.ownJitTicks();
            for (int i = 0; i < records; i++) {
                long due = pacer.await();
                byte[] value = filler.clone();
                ByteBuffer.wrap(value).putLong(due).putLong(i); // i: unique, the two-hop empty app re-keys by value
                producer.send(new ProducerRecord<>(in, Workload.account(i % 10_000), value));
                pacer.sent(due);
            }
            producer.flush();
            reader.join(Duration.ofSeconds(120).toMillis());
            reader.interrupt();
        }
        double perSecond = Bench.perSecond(received.get(), start, lastReceived.get());
        String note = String.join("; ", java.util.stream.Stream.of(received.get() < records ? "MISSING " + (records - received.get())
                : "", pacer.scheduleNote(), ThreadCpu.ownJitNote(jit, (System.nanoTime() - start) / 1e9),
                rate > 0 ? timeline.tail(99, 3) : "").filter(n -> !n.isEmpty())
                .toList());
        return Bench.Row.latency(name, received.get(), perSecond, latencies.snapshot()).withNote(note);
    }
}
