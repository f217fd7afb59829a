package io.edgestop.adapter.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.DoubleSupplier;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The adapter's Prometheus metrics, in a registry of its own (several adapters may share a JVM). */
public final class AdapterMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Histogram latency;
    private final Gauge inFlight;
    private final Counter lateReplies;
    private final Counter replyTimeouts;
    private final Counter resultsIgnored;

    public AdapterMetrics(DoubleSupplier pendingReplies, DoubleSupplier ready) {
        requests = Counter.builder().name("edgestop_adapter_requests")
                .help("API requests answered, by action, error code (Success when none) and HTTP status")
                .labelNames("action", "code", "status").register(registry);
        latency = Histogram.builder().name("edgestop_adapter_request_duration_seconds")
                .help("Time from request arrival to response, by action and HTTP status")
                .labelNames("action", "status")
                .classicOnly()
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
                .register(registry);
        inFlight = Gauge.builder().name("edgestop_adapter_inflight_requests")
                .help("API requests being processed (including those waiting for their result)").register(registry);
        lateReplies = Counter.builder().name("edgestop_adapter_late_replies")
                .help("Decision results addressed to this instance whose request was no longer waiting (timed out, unknown); dropped")
                .register(registry);
        replyTimeouts = Counter.builder().name("edgestop_adapter_reply_timeouts")
                .help("Requests answered 503 ServiceUnavailable because no decision arrived in time").register(registry);
        resultsIgnored = Counter.builder().name("edgestop_adapter_results_ignored")
                .help("Results read and skipped by this instance, by reason (other_instance, follow_up, undecodable)")
                .labelNames("reason").register(registry);
        GaugeWithCallback.builder().name("edgestop_adapter_pending_replies")
                .help("Requests waiting for their decision result")
                .callback(cb -> cb.call(pendingReplies.getAsDouble())).register(registry);
        GaugeWithCallback.builder().name("edgestop_adapter_ready")
                .help("1 when Kafka is reachable and the reply path is positioned, else 0")
                .callback(cb -> cb.call(ready.getAsDouble())).register(registry);
    }

    public void requestDone(String action, String code, int status, long nanos) {
        String a = action == null ? "" : action;
        requests.labelValues(a, code == null ? "Success" : code, Integer.toString(status)).inc();
        latency.labelValues(a, Integer.toString(status)).observe(nanos / 1e9);
    }

    public void inFlightInc() {
        inFlight.inc();
    }

    public void inFlightDec() {
        inFlight.dec();
    }

    public void lateReply() {
        lateReplies.inc();
    }

    public double lateReplies() {
        return lateReplies.get();
    }

    public void replyTimeout() {
        replyTimeouts.inc();
    }

    public void resultIgnored(String reason) {
        resultsIgnored.labelValues(reason).inc();
    }

    public String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
