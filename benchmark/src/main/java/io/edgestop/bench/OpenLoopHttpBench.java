package io.edgestop.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

import io.edgestop.adapter.client.StopJobClient;
import io.edgestop.ops.JdkHttpServers;

/**
 * Signed (V1) StopEdgeTranscodeJob calls over HTTP/1.1, open loop: each call has a due time on a
 * fixed schedule at the offered rate and is sent then ({@link KeepAliveCallers}: persistent connections,
 * one blocking caller each) whatever the latency of the calls before it; its latency counts from that due time, not from when it went out,
 * so a sender that falls behind shows in the latencies (no coordinated omission) and is reported.
 * At most {@code maxInFlight} calls are in flight (each holds a connection); a call that finds
 * them all busy waits, and is late. Every call is planned and signed before the schedule starts
 * (signing is an HMAC and a URL encoding per call, which on one shared core made the sender fall
 * behind), so the sending loop only hands requests to the client.
 */
final class OpenLoopHttpBench {

    private final URI endpoint;
    private final Workload workload;

    OpenLoopHttpBench(URI endpoint, Workload workload) {
        this.endpoint = endpoint;
        this.workload = workload;
    }

    /**
     * The load generator alone: the same signed calls, schedule and client against a JDK HTTP server in this JVM
     * that answers 200 at once (its own workload, so it takes no jobs from the run's). What it achieves, and its
     * late sends, is what this generator can offer on the cores it has, whatever the adapter does; its note
     * gives this JVM's CPU per call over the phase, to set against the 1,000 us a call that 1,000/s on one core allows.
     */
    static Bench.Row calibrate(Workload workload, int count, double offeredRate, int maxInFlight) throws Exception {
        HttpServer server = JdkHttpServers.bind("127.0.0.1", 0);
        ExecutorService handlers = Executors.newFixedThreadPool(2);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            long self = ProcessHandle.current().pid();
            double cpu0 = ThreadCpu.processSeconds(self);
            Bench.Row row = new OpenLoopHttpBench(endpoint, workload).run("HTTP generator alone (instant-200 server) @"
                    + (int) offeredRate + "/s offered", count, offeredRate, maxInFlight);
            double cpuMicros = (ThreadCpu.processSeconds(self) - cpu0) * 1e6 / count;
            return row.withNote(String.format(Locale.ROOT, "benchmark JVM CPU %.0f us per call (planning and signing, client,"
                    + " server, and the idle broker); %s", cpuMicros, row.note()));
        } finally {
            server.stop(0);
            handlers.shutdown();
        }
    }

    Bench.Row run(String name, int count, double offeredRate, int maxInFlight) throws Exception {
        return run(name, count, offeredRate, maxInFlight, () -> { });
    }

    /** {@link #run(String, int, double, int)}, calling {@code answered} once every call is answered, before the callers end. */
    Bench.Row run(String name, int count, double offeredRate, int maxInFlight, Runnable answered) throws Exception {
        Latencies latencies = new Latencies();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        List<byte[]> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Workload.Planned planned = workload.next(null);
            requests.add(KeepAliveCallers.get(new StopJobClient(endpoint, planned.accessKeyId(), Workload.secret(planned.accessKeyId()))
                    .signedV1Url(planned.command().getClusterId(), planned.command().getJobId())));
        }
        CountDownLatch pending = new CountDownLatch(count);
        Pacer schedule = new Pacer(offeredRate);
        long start = System.nanoTime();
        try (KeepAliveCallers callers = new KeepAliveCallers(endpoint, maxInFlight, (call, status, failure) -> {
            long now = System.nanoTime();
            if (failure != null) {
                errors.incrementAndGet();
            } else {
                latencies.recordNanos(now - call.due());
                statuses.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                lastAnswer.accumulateAndGet(now, Math::max);
            }
            pending.countDown();
        })) {
            for (int i = 0; i < count; i++) {
                long due = schedule.await();
                callers.send(new KeepAliveCallers.Call(requests.set(i, null), due));
                schedule.sent(due);
            }
            if (!pending.await(2, TimeUnit.MINUTES)) {
                errors.addAndGet(pending.getCount()); // unanswered after two minutes: counted as failed
            }
            answered.run();
        }
        long answers = count - errors.get();
        double achieved = Bench.perSecond(answers, start, lastAnswer.get());
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.get()));
        String onTime = schedule.scheduleNote().isEmpty() ? "sender on schedule" : schedule.scheduleNote();
        return Bench.Row.latency(name, answers, achieved, latencies.snapshot())
                .withNote(String.format(Locale.ROOT, "offered %.0f/s, achieved %.0f answers/s; HTTP status %s%s; %s", offeredRate,
                        achieved, byStatus, errors.get() > 0 ? "; transport errors " + errors.get() : "", onTime));
    }
}
