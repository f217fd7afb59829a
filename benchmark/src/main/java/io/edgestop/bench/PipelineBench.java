package io.edgestop.bench;

import java.time.Duration;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerdes;

/** The asynchronous path: commands produced straight to Kafka, decisions read from the results topic. */
final class PipelineBench {

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

    /** Sends {@code count} commands at {@code rate} per second (0 = flat out) and waits for every decision. */
    Bench.Row run(String name, int count, double rate, Duration timeout) throws Exception {
        results.reset();
        int linger = rate > 0 ? 0 : 5;
        long start;
        try (KafkaProducer<String, StopCommand> producer = new KafkaProducer<>(env.producerProps(linger),
                new StringSerializer(), AvroSerdes.stopCommand())) {
            Pacer pacer = new Pacer(rate);
            start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                pacer.await();
                StopCommand command = workload.next(null).command();
                results.sent(command.getRequestId(), System.nanoTime());
                producer.send(new ProducerRecord<>(commandsTopic, command.getAccountId(), command));
            }
            producer.flush();
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        boolean all = results.awaitDecided(count, timeout);
        double seconds = (results.lastResultNanos() - start) / 1e9;
        Bench.Row row = Bench.Row.latency(name, results.decided(), results.decided() / seconds, results.latencies().snapshot())
                .withNote(String.format(java.util.Locale.ROOT, "sent in %.1fs; %s%s", sendSeconds, results.codes(),
                        all ? "" : "; MISSING " + (count - results.decided())));
        return row;
    }
}
