package io.edgestop.fault;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.edgestop.adapter.client.StopJobClient;

/**
 * Steady HTTP load on one adapter: a signed call (V1 and V3 in turn) every {@code tickMs}, up to
 * {@value #MAX_IN_FLIGHT} at a time, each a new request: accepted stops of jobs no other command
 * targets, and stops of jobs that do not exist. Every call and its answer is kept.
 */
final class HttpLoad implements AutoCloseable {

    static final int MAX_IN_FLIGHT = 32;

    record Call(Scenario.Kind kind, long startNanos, long endNanos, Http.Answer answer) {

        /** A decision (200 accepted, 404 JobNotFound), as opposed to a 503 or no answer at all. */
        boolean decision() {
            return answer.io() == null && (answer.status() == 200 || answer.status() == 404);
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }
    }

    final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    /** When each decision answer arrived (for the longest time without one). */
    final ConcurrentLinkedQueue<Long> decisionTimes = new ConcurrentLinkedQueue<>();
    final AtomicLong skipped = new AtomicLong();
    private final Scenario scenario;
    private final StopJobClient client;
    private final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicLong N = new AtomicLong(); // request numbers unique across the loads of one JVM
    private final ExecutorService pool = Executors.newFixedThreadPool(MAX_IN_FLIGHT, daemon("fault-http"));
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("fault-http-tick"));

    HttpLoad(Scenario scenario, URI base) {
        this.scenario = scenario;
        this.client = new StopJobClient(base, Http.AK, Http.SECRET);
    }

    HttpLoad start(long tickMs) {
        ticker.scheduleAtFixedRate(() -> {
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                skipped.incrementAndGet(); // the adapter is slower than the load: the load waits, it does not pile up
                return;
            }
            inFlight.incrementAndGet();
            long i = N.getAndIncrement();
            pool.submit(() -> {
                try {
                    call(i);
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }, 0, tickMs, TimeUnit.MILLISECONDS);
        return this;
    }

    private void call(long i) {
        Scenario.Kind kind = i % 2 == 0 ? Scenario.Kind.ACCEPT : Scenario.Kind.NOT_FOUND;
        String cluster;
        String job;
        if (kind == Scenario.Kind.ACCEPT) {
            int j = scenario.takeJob();
            cluster = Scenario.clusterOf(j);
            job = Scenario.jobId(j);
        } else {
            cluster = Scenario.clusterOf((int) i);
            job = "absent-http-" + i;
        }
        long start = System.nanoTime();
        Http.Answer answer = Http.call(client, i % 4 < 2, cluster, job);
        Call c = new Call(kind, start, System.nanoTime(), answer);
        calls.add(c);
        if (c.decision()) {
            decisionTimes.add(c.endNanos());
        }
    }

    /** Stops calling and waits for the calls in flight to be answered. */
    void stop() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        pool.shutdown();
        if (!pool.awaitTermination(90, TimeUnit.SECONDS)) {
            throw new AssertionError(inFlight.get() + " HTTP calls still unanswered 90 s after the load stopped");
        }
    }

    int inFlight() {
        return inFlight.get();
    }

    List<Call> answered(int status) {
        return calls.stream().filter(c -> c.answer().io() == null && c.answer().status() == status).toList();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        pool.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
