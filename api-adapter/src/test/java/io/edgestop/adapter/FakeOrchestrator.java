package io.edgestop.adapter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.edgestop.schema.Outcome;
import io.edgestop.schema.StopCommand;
import io.edgestop.schema.StopResult;
import io.edgestop.schema.serde.AvroSerdes;
import io.edgestop.topics.Topics;

/**
 * The test plays the orchestrator: reads every stop command and answers on the results topic
 * following the jobId's prefix: ok (ACCEPTED, then a COMPLETED follow-up), missing (JobNotFound 404),
 * forbidden (Forbidden 403), denied (OperationDenied 403), throttle (Throttling.User 429),
 * slow (held until {@link #release}). Every command also gets a decoy result addressed to another
 * instance, which adapters must ignore.
 */
public final class FakeOrchestrator implements AutoCloseable {

    private final KafkaConsumer<String, StopCommand> consumer;
    private final KafkaProducer<String, StopResult> producer;
    private final String resultsTopic;
    private final Thread thread;
    private volatile boolean running = true;
    public final List<ConsumerRecord<String, StopCommand>> commands = new CopyOnWriteArrayList<>();
    private final Map<String, StopCommand> held = new ConcurrentHashMap<>();

    public FakeOrchestrator(String bootstrap, Topics topics, int commandPartitions) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), AvroSerdes.stopCommand().deserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < commandPartitions; i++) {
            tps.add(new TopicPartition(topics.stopCommands(), i));
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producer = new KafkaProducer<>(p, new StringSerializer(), AvroSerdes.stopResult().serializer());
        resultsTopic = topics.stopResults();
        thread = new Thread(this::run, "fake-orchestrator");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<String, StopCommand> rec : consumer.poll(Duration.ofMillis(50))) {
                commands.add(rec);
                StopCommand cmd = rec.value();
                send(result(cmd, Outcome.REJECTED, "Forbidden", 403, "decoy").setReplyTo("some-other-instance").build());
                String job = cmd.getJobId();
                if (job.startsWith("slow")) {
                    held.put(job, cmd);
                    continue;
                }
                decide(cmd);
            }
        }
        consumer.close();
    }

    /** The retry hint of every throttle answer, from its event time (the moment it is sent). */
    static final long THROTTLE_RETRY_AFTER_MS = 42_000;

    private void decide(StopCommand cmd) {
        String job = cmd.getJobId();
        if (job.startsWith("missing")) {
            send(result(cmd, Outcome.REJECTED, "JobNotFound", 404, "The job " + job + " does not exist.").build());
        } else if (job.startsWith("forbidden")) {
            send(result(cmd, Outcome.REJECTED, "Forbidden", 403, "RAM policy denies live:StopEdgeTranscodeJob.").build());
        } else if (job.startsWith("denied")) {
            send(result(cmd, Outcome.REJECTED, "OperationDenied", 403, "The job is not running.").build());
        } else if (job.startsWith("throttle")) {
            send(result(cmd, Outcome.REJECTED, "Throttling.User", 429, "Request was denied due to user flow control.")
                    .setRetryAfterMs(THROTTLE_RETRY_AFTER_MS).build());
        } else {
            send(result(cmd, Outcome.ACCEPTED, null, 200, null).build());
            send(result(cmd, Outcome.COMPLETED, null, 200, null).build());
        }
    }

    /** Sends the decision of a held ("slow") job now. */
    public void release(String jobId) {
        StopCommand cmd = held.remove(jobId);
        if (cmd == null) {
            throw new IllegalStateException("no held command for " + jobId);
        }
        decide(cmd);
    }

    public boolean holds(String jobId) {
        return held.containsKey(jobId);
    }

    private static StopResult.Builder result(StopCommand cmd, Outcome outcome, String code, int status, String message) {
        return StopResult.newBuilder().setRequestId(cmd.getRequestId()).setAccountId(cmd.getAccountId())
                .setClusterId(cmd.getClusterId()).setJobId(cmd.getJobId()).setOutcome(outcome).setCode(code)
                .setHttpStatus(status).setMessage(message).setEventTime(java.time.Instant.now())
                .setReplyTo(cmd.getReplyTo());
    }

    private void send(StopResult r) {
        producer.send(new ProducerRecord<>(resultsTopic, r.getRequestId(), r));
        producer.flush();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}
