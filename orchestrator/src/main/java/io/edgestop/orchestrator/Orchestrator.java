package io.edgestop.orchestrator;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.edgestop.kafka.KafkaRefusal;

/** One running orchestrator instance: a KafkaStreams client running {@link OrchestratorTopology}. */
public final class Orchestrator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);
    /**
     * Bounds of {@link #close()}: the ticker, Kafka Streams, then the orchestrator's two other clients; together
     * 12 s, so SIGTERM returns within 15 s in every state, a send stuck in {@code max.block.ms} included
     * (docs/reliability.md). Work not committed by then is redone by whoever takes the tasks over.
     */
    static final Duration STREAMS_CLOSE_TIMEOUT = Duration.ofSeconds(6);
    static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final KafkaStreams streams;
    private final DeadLetters deadLetters;
    private final DirectiveTopics directiveTopics;
    private volatile StreamTimeTicker ticker;
    private final CountDownLatch running = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private Orchestrator(OrchestratorConfig config) {
        this.deadLetters = DeadLetters.toKafka(config, CLIENT_CLOSE_TIMEOUT);
        this.directiveTopics = new KafkaDirectiveTopics(config, CLIENT_CLOSE_TIMEOUT);
        try {
            this.streams = new KafkaStreams(OrchestratorTopology.build(config, deadLetters, directiveTopics),
                    config.streamsProperties());
        } catch (RuntimeException e) {
            directiveTopics.close(); // with the producer, the only clients made so far
            deadLetters.close();
            throw e;
        }
        streams.setStateListener((now, before) -> {
            // ERROR ends the wait too: awaitRunning answers false at once instead of at its timeout
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            Optional<Throwable> refusal = KafkaRefusal.in(e);
            if (refusal.isPresent()) {
                // a replaced thread would be refused the same way, forever
                log.error("orchestrator stopped: {}", KafkaRefusal.describe(refusal.get()));
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            log.error("orchestrator stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Starts a KafkaStreams client for the config and returns at once. */
    public static Orchestrator start(OrchestratorConfig config) {
        Orchestrator orchestrator = new Orchestrator(config);
        try {
            orchestrator.streams.start(); // throws when the global store cannot be read, e.g. the cluster refused the client
        } catch (RuntimeException e) {
            orchestrator.close();
            throw e;
        }
        orchestrator.ticker = StreamTimeTicker.startIfEnabled(config);
        return orchestrator;
    }

    /** Waits until the client reached RUNNING once; true when it did within the timeout. */
    public boolean awaitRunning(Duration timeout) {
        try {
            return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) || streams.state() == KafkaStreams.State.RUNNING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The Kafka Streams client's metrics, the decider's own sensors included. */
    public Map<MetricName, ? extends Metric> metrics() {
        return streams.metrics();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Closes the client (leaving the group so others take over at once); idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            StreamTimeTicker t = ticker;
            if (t != null) {
                t.close();
            }
            if (!streams.close(CloseOptions.timeout(STREAMS_CLOSE_TIMEOUT)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
                log.warn("Kafka Streams did not close within {}; its uncommitted work is redone by the next owner",
                        STREAMS_CLOSE_TIMEOUT);
            }
            directiveTopics.close();
            deadLetters.close();
        }
    }
}
