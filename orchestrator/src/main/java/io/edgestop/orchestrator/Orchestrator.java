package io.edgestop.orchestrator;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running orchestrator instance: a KafkaStreams client running {@link OrchestratorTopology}. */
public final class Orchestrator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Orchestrator.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final DeadLetters deadLetters;
    private volatile StreamTimeTicker ticker;
    private final CountDownLatch running = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private Orchestrator(OrchestratorConfig config) {
        this.deadLetters = DeadLetters.toKafka(config);
        try {
            this.streams = new KafkaStreams(OrchestratorTopology.build(config, deadLetters), config.streamsProperties());
        } catch (RuntimeException e) {
            deadLetters.close(); // its producer is the only client made so far
            throw e;
        }
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            log.error("orchestrator stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Starts a KafkaStreams client for the config and returns at once. */
    public static Orchestrator start(OrchestratorConfig config) {
        Orchestrator orchestrator = new Orchestrator(config);
        orchestrator.streams.start();
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
            streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            deadLetters.close();
        }
    }
}
