package io.edgestop.bench;

import java.time.Duration;
import java.util.Locale;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerdes;

/** The asynchronous path: commands produced straight to Kafka, decisions read from the results topic. */
final class PipelineBench {

    /** When the sending started, how long it took, and whether it kept to the schedule. */
    record Sent(long startNanos, double seconds, String scheduleNote) {
    }

    private final Bench.Env env;
    private final Workload workload;
    private final String commandsTopic;
    private final ResultCollector results;

    PipelineBench(Bench.Env env, Workload workload, String commandsTopic, ResultCollector results) {
        this.env = env;
        this.workload = workload;
        this.commandsTopic = commandsTopic;
        this.results = results;
    }

    Bench.Row run(String name, int count, double rate, Duration timeout) throws Exception {
        return run(name, count, rate, workload.mix, timeout);
    }

    /** Sends {@code count} commands of {@code mix} at {@code rate} per second (0 = flat out) and waits for every decision. */
    Bench.Row run(String name, int count, double rate, Workload.Mix mix, Duration timeout) throws Exception {
        results.reset();
        long jit = ThreadCpu.ownJitTicks();
        Sent sent = send(count, rate, mix);
        boolean all = results.awaitDecided(count, timeout);
        double perSecond = Bench.perSecond(results.decided(), sent.startNanos(), results.lastResultNanos());
        return Bench.Row.latency(name, results.decided(), perSecond, results.latencies().snapshot())
                .withNote(String.format(Locale.ROOT, "sent in %.1fs; %s%s%s; %s%s", sent.seconds(), results.codes(),
                        all ? "" : "; MISSING " + (count - results.decided()),
                        sent.scheduleNote().isEmpty() ? "" : "; " + sent.scheduleNote(),
                        ThreadCpu.ownJitNote(jit, (System.nanoTime() - sent.startNanos()) / 1e9),
                        rate > 0 ? "; " + results.timeline().tail(99, 3) : ""));
    }

    /** Sends {@code count} commands at {@code rate} (0 = flat out), each registered with the collector at its due time. */
    Sent send(int count, double rate, Workload.Mix mix) {
        long start;
        Pacer pacer = new Pacer(rate);
        try (KafkaProducer<String, StopCommand> producer = new KafkaProducer<>(env.producerProps(rate > 0 ? 0 : 5),
                new StringSerializer(), AvroSerdes.stopCommand())) {
            producer.partitionsFor(commandsTopic); // a new producer's metadata fetch is not the system's latency
            start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = pacer.await();
                StopCommand command = workload.next(null, mix).command();
                results.sent(command.getRequestId(), due);
                producer.send(new ProducerRecord<>(commandsTopic, command.getAccountId(), command));
                pacer.sent(due);
            }
            producer.flush();
        }
        return new Sent(start, (System.nanoTime() - start) / 1e9, pacer.scheduleNote());
    }
}
