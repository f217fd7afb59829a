package io.edgestop.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.edgestop.adapter.client.StopJobClient;

/** Signed StopEdgeTranscodeJob calls over HTTP/1.1 with many connections, at a target rate. */
final class HttpBench {

    private final URI endpoint;
    private final Workload workload;

    HttpBench(URI endpoint, Workload workload) {
        this.endpoint = endpoint;
        this.workload = workload;
    }

    Bench.Row run(String name, int count, double rate, int connections) throws Exception {
        Latencies latencies = new Latencies();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        Semaphore inFlight = new Semaphore(connections);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Pacer pacer = new Pacer(rate);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            pacer.await();
            Workload.Planned planned = workload.next(null);
            URI url = new StopJobClient(endpoint, planned.accessKeyId(), Workload.secret(planned.accessKeyId()))
                    .signedV1Url(planned.command().getClusterId(), planned.command().getJobId());
            inFlight.acquire();
            long sent = System.nanoTime();
            http.sendAsync(HttpRequest.newBuilder(url).GET().timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                        latencies.recordNanos(System.nanoTime() - sent);
                        if (failure != null) {
                            errors.incrementAndGet();
                        } else {
                            statuses.computeIfAbsent(response.statusCode(), k -> new AtomicLong()).incrementAndGet();
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquire(connections);
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        Map<Integer, Long> byStatus = new TreeMap<>();
        statuses.forEach((k, v) -> byStatus.put(k, v.get()));
        return Bench.Row.latency(name, count - errors.get(), count / seconds, latencies.snapshot())
                .withNote("HTTP status " + byStatus + (errors.get() > 0 ? "; transport errors " + errors.get() : ""));
    }
}
