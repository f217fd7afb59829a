package io.edgestop.fault;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.edgestop.schema.StopCommand;
import io.edgestop.schema.serde.AvroSerdes;

/**
 * Steady asynchronous load: {@code perTick} stop commands every {@code tickMs}, produced straight to
 * the commands topic by an idempotent, retrying producer. Remembers the kind of every command sent.
 */
final class Load implements AutoCloseable {

    final Map<String, Scenario.Kind> sent = new ConcurrentHashMap<>();
    final AtomicLong acked = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final Scenario scenario;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fault-load");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong count = new AtomicLong();
    private volatile int repeatEvery;             // 0: no repeats
    private volatile StopCommand lastAccepted;    // the ticker's own: the stop a repeat joins
    private final AtomicReference<RuntimeException> stoppedBy = new AtomicReference<>();

    Load(Scenario scenario, String bootstrap) {
        this.scenario = scenario;
        this.producer = new KafkaProducer<>(Scenario.producerProps(bootstrap));
    }

    /**
     * Also sends, every {@code every}-th command, a repeat of the last accepted command (its job, a new
     * request id): across a fault some repeats reach a restored task, whose pending-stop store must join them.
     * Only where no edge worker completes the stops (a completed stop would not be joined).
     */
    Load withRepeats(int every) {
        this.repeatEvery = every;
        return this;
    }

    Load start(int perTick, long tickMs) {
        ticker.scheduleAtFixedRate(() -> {
            try {
                for (int i = 0; i < perTick; i++) {
                    long n = count.getAndIncrement();
                    StopCommand last = lastAccepted;
                    if (repeatEvery > 0 && last != null && n % repeatEvery == 0) {
                        send(Scenario.Kind.REPEAT, scenario.repeat(last));
                    } else {
                        send(Scenario.kindFor(n));
                    }
                }
            } catch (RuntimeException e) {
                stoppedBy.compareAndSet(null, e);
                throw e; // a scheduled task that throws is not run again: the load has stopped
            }
        }, 0, tickMs, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Waits until {@code n} commands were sent; fails at once, naming the cause, when the load
     * stopped itself (e.g. the scenario ran out of jobs to accept stops for), rather than after
     * {@code within} with no reason.
     */
    void awaitSent(int n, Duration within) {
        await().atMost(within).until(() -> {
            RuntimeException e = stoppedBy.get();
            if (e != null) {
                throw new IllegalStateException("the load stopped after " + sent.size() + " commands: " + e.getMessage(), e);
            }
            return sent.size() >= n;
        });
    }

    /** Sends one command now (also usable without {@link #start}). */
    String send(Scenario.Kind kind) {
        StopCommand c = scenario.command(kind);
        if (kind == Scenario.Kind.ACCEPT) {
            lastAccepted = c;
        }
        return send(kind, c);
    }

    private String send(Scenario.Kind kind, StopCommand c) {
        sent.put(c.getRequestId(), kind);
        String topic = scenario.topics.stopCommands();
        producer.send(new ProducerRecord<>(topic, c.getAccountId(), AvroSerdes.stopCommand().serialize(topic, c)),
                (meta, err) -> {
                    if (err == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, err);
                    }
                });
        return c.getRequestId();
    }

    /** Stops producing and waits until every command sent is acknowledged or failed. */
    void stop() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(30, TimeUnit.SECONDS);
        producer.flush();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        producer.close();
    }
}
